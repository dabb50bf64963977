package dev.etcdagent.it.apps;

/** Binds nothing and stays up: for registrations given by the address argument. */
public final class IdleApp {

    private IdleApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("up");
        Thread.sleep(Long.MAX_VALUE);
    }
}
