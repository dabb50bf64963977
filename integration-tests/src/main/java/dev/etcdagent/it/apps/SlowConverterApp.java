package dev.etcdagent.it.apps;

import java.math.BigDecimal;

import dev.etcdagent.Dynamic;

/** Values whose conversion takes long: an application type whose factory sleeps, and a BigDecimal. */
public final class SlowConverterApp {

    /** An application's own type; its factory (found by the agent, as for any such type) takes 5 s. */
    public static final class Slow {
        private final String text;

        private Slow(String text) {
            this.text = text;
        }

        public static Slow valueOf(String text) throws InterruptedException {
            Thread.sleep(5_000);
            return new Slow(text);
        }

        @Override
        public String toString() {
            return "Slow(" + text + ")";
        }
    }

    @Dynamic("slow") static Slow slow = null;
    @Dynamic("price") static BigDecimal price = new BigDecimal("1");
    @Dynamic("flag") static String flag = "off";

    private SlowConverterApp() {
    }

    public static void main(String[] args) throws Exception {
        java.net.ServerSocket server = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        System.out.println("LISTENING " + server.getLocalPort());
        new ChangeReporter()
                .watch("slow", () -> slow)
                .watch("price", () -> price)
                .watch("flag", () -> flag)
                .run();
    }
}
