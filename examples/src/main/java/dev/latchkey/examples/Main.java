package dev.latchkey.examples;

import java.util.concurrent.CountDownLatch;

/** Runs the demo app standalone from {@code LATCHKEY_DEMO_*} environment variables (see docs/demo.md). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        // before the first logger: the demo's own quiet console configuration, unless one is given
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-demo.xml");
        }
        DemoConfig config;
        try {
            config = DemoConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        DemoApp app = DemoApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }
}
