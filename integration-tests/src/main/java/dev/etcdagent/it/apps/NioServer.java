package dev.etcdagent.it.apps;

import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** A NIO {@code ServerSocketChannel} server (as Jetty, Tomcat and Netty NIO use); prints {@code LISTENING <port>}. */
public final class NioServer {

    private NioServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        System.out.println("LISTENING " + ((InetSocketAddress) channel.getLocalAddress()).getPort());
        while (true) {
            channel.accept().close();
        }
    }
}
