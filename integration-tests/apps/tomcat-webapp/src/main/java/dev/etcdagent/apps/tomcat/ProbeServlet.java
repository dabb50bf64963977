package dev.etcdagent.apps.tomcat;

import java.io.IOException;

import dev.etcdagent.Dynamic;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** What this web application sees of its configuration, as {@code name=value} tokens for the matrix to read. */
@WebServlet("/probe")
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Dynamic("matrix.dynamic") static String dynamic = "declared";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().print("dynamic=" + dynamic + " property=" + System.getProperty("matrix.property"));
    }
}
