/** Executors that keep Herald's ordering promises (docs/concurrency.md). */
package dev.herald.concurrent;
