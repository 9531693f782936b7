package dev.herald;

import ch.qos.logback.classic.Level;
import dev.herald.config.ConfigException;
import dev.herald.config.ConfigLoader;
import dev.herald.config.HeraldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code herald [--config FILE]} runs Herald in the foreground until SIGTERM or
 * SIGINT; {@code herald --check-config FILE} only validates. With no --config it reads {@code
 * config/herald.yaml} when that file exists, else the embedded copy of it.
 *
 * <p>Exit codes: 0 stopped cleanly or config valid; 2 usage or invalid config (every problem is
 * printed, nothing is bound); 1 could not start (a socket could not be bound).
 */
public final class Main {
  static final int OK = 0;
  static final int START_FAILED = 1;
  static final int BAD_CONFIG = 2;
  private static final Path DEFAULT_CONFIG = Path.of("config", "herald.yaml");
  private static final String USAGE =
      """
      usage: herald [--config FILE]       run Herald (default: config/herald.yaml)
             herald --check-config FILE   validate FILE and exit""";

  private Main() {}

  public static void main(String[] args) {
    int code = run(args);
    if (code != OK) {
      System.exit(code);
    }
  }

  static int run(String[] args) {
    Path config = null;
    boolean checkOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "--check-config" -> {
          if (i + 1 >= args.length) {
            System.err.println(args[i] + " needs a file\n" + USAGE);
            return BAD_CONFIG;
          }
          checkOnly |= args[i].equals("--check-config");
          config = Path.of(args[++i]);
        }
        case "-h", "--help" -> {
          System.out.println(USAGE);
          return OK;
        }
        default -> {
          System.err.println("unknown argument: " + args[i] + "\n" + USAGE);
          return BAD_CONFIG;
        }
      }
    }
    HeraldConfig cfg;
    try {
      cfg = load(config);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return BAD_CONFIG;
    }
    if (checkOnly) {
      System.out.println(config + ": configuration is valid");
      return OK;
    }
    return runUntilStopped(cfg);
  }

  private static HeraldConfig load(Path config) throws ConfigException {
    if (config != null) {
      return ConfigLoader.load(config);
    }
    return Files.exists(DEFAULT_CONFIG)
        ? ConfigLoader.load(DEFAULT_CONFIG)
        : ConfigLoader.loadDefault();
  }

  private static int runUntilStopped(HeraldConfig cfg) {
    Logger log = LoggerFactory.getLogger(Main.class);
    if (cfg.sip().trace()) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.herald.sip.trace"))
          .setLevel(Level.INFO);
    }
    Herald herald;
    try {
      herald = Herald.start(cfg);
    } catch (Herald.HeraldStartException e) {
      log.error("Herald could not start: {}", e.getMessage());
      return START_FAILED;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  herald.shutdown(Duration.ofSeconds(5));
                  stopped.countDown();
                },
                "herald-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }
}
