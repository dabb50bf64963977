package dev.etcdagent.it.apps;

/** Prints hello and exits: for start-up and exit timing. */
public final class HelloWorld {

    private HelloWorld() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
