package dev.etcdagent.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;

/**
 * A Netty server on the native epoll transport, which binds in its own native code, out of sight of
 * the JDK's socket classes. Binds 127.0.0.1 on each port given (0: any free port), prints
 * {@code LISTENING port channel-class} for each, and closes them all on the stdin line {@code close}.
 */
public final class EpollServer {

    private EpollServer() {
    }

    public static void main(String[] args) throws Exception {
        Epoll.ensureAvailability();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<Channel> servers = new ArrayList<>();
        for (String port : args) {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter())
                    .bind(InetAddress.getByName("127.0.0.1"), Integer.parseInt(port)).sync().channel();
            servers.add(server);
            System.out.println("LISTENING " + ((InetSocketAddress) server.localAddress()).getPort() + " "
                    + server.getClass().getSimpleName());
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("close")) {
                for (Channel server : servers) {
                    server.close().sync();
                }
                System.out.println("CLOSED");
            }
        }
        group.shutdownGracefully();
    }
}
