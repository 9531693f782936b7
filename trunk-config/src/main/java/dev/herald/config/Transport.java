package dev.herald.config;

/**
 * A transport a {@link Listener} can use. The YAML spells them in lower case: {@code udp}, {@code
 * tcp}.
 */
public enum Transport {
  UDP,
  TCP
}
