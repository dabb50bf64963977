package dev.etcdagent.apps.quarkus;

import dev.etcdagent.Dynamic;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** What this application sees of its configuration, as {@code name=value} tokens for the matrix to read. */
@Path("/probe")
public class ProbeResource {

    @Dynamic("matrix.dynamic") static String dynamic = "declared";

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String probe() {
        return "dynamic=" + dynamic + " property=" + System.getProperty("matrix.property");
    }
}
