package dev.etcdagent.matrix.netty;

import java.nio.charset.StandardCharsets;

import dev.etcdagent.Dynamic;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.incubator.channel.uring.IOUring;
import io.netty.incubator.channel.uring.IOUringEventLoopGroup;
import io.netty.incubator.channel.uring.IOUringServerSocketChannel;

/**
 * A Netty 4.1 HTTP server on 127.0.0.1:{@code args[0]} with the transport {@code args[1]}: {@code nio},
 * {@code epoll} or {@code io_uring} (Netty's incubator transport). Every GET answers
 * {@code dynamic=<field> property=<System.getProperty("matrix.property")>}: what the matrix checks.
 * When the native transport cannot run here it prints {@code UNAVAILABLE <cause>} and exits with 3.
 */
public final class NettyApp {

    static final int UNAVAILABLE = 3;

    @Dynamic("matrix.dynamic")
    static String dynamic = "declared";

    private NettyApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String transport = args[1];
        Throwable unavailable = unavailabilityCause(transport);
        if (unavailable != null) {
            System.out.println("UNAVAILABLE " + unavailable);
            System.exit(UNAVAILABLE);
        }
        EventLoopGroup group = group(transport);
        new ServerBootstrap().group(group).channel(channel(transport))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), new ValuesHandler());
                    }
                })
                .bind("127.0.0.1", port).sync().channel().closeFuture().sync();
    }

    private static Throwable unavailabilityCause(String transport) {
        switch (transport) {
            case "nio": return null;
            case "epoll": return Epoll.unavailabilityCause();
            case "io_uring": return IOUring.unavailabilityCause();
            default: throw new IllegalArgumentException("transport " + transport + ": use nio, epoll or io_uring");
        }
    }

    private static EventLoopGroup group(String transport) {
        switch (transport) {
            case "epoll": return new EpollEventLoopGroup(1);
            case "io_uring": return new IOUringEventLoopGroup(1);
            default: return new NioEventLoopGroup(1);
        }
    }

    private static Class<? extends ServerChannel> channel(String transport) {
        switch (transport) {
            case "epoll": return EpollServerSocketChannel.class;
            case "io_uring": return IOUringServerSocketChannel.class;
            default: return NioServerSocketChannel.class;
        }
    }

    static String observed() {
        return "dynamic=" + dynamic + " property=" + System.getProperty("matrix.property");
    }

    private static final class ValuesHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpRequest request) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(observed(), StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            context.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
