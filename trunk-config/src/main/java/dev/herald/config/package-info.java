/**
 * Herald's configuration: one YAML file read into immutable records.
 *
 * <p>{@link dev.herald.config.ConfigLoader} reads the file, checks every key against the schema and
 * either returns a {@link dev.herald.config.HeraldConfig} or throws a {@link
 * dev.herald.config.ConfigException} that lists every problem at once, each with its path ({@code
 * listeners[1].port: must be 1..65535, was 70000}). It runs before Herald binds any socket, and it
 * never clamps a value silently: a value out of range is a problem, not a default.
 *
 * <p>This package knows no SIP, MINA or XMPP types; the modules that do read these records.
 */
package dev.herald.config;
