package dev.robustsynth.service.api;

import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import dev.robustsynth.service.jobs.JobService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code GET /jobs/{id}}: a bulk job's latest status (job-status.v1), from this instance's global status store. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsResource {
    @Inject
    ServiceLifecycle lifecycle;

    @GET
    @Path("/{id}")
    public Response status(@PathParam("id") String id) {
        ServiceAssembly s = lifecycle.assembly();
        JobService jobs = s == null ? null : s.jobs().orElse(null);
        if (jobs == null) {
            return Response.status(503).entity(Map.of("code", "UNAVAILABLE", "message", "bulk jobs are not running "
                    + "on this instance (rsynth.jobs.enabled)")).build();
        }
        try {
            return jobs.status(id).map(v -> Response.ok(v).build()).orElseGet(() -> Response.status(404).entity(
                    Map.of("code", "JOB_UNKNOWN", "message", "no job '" + id + "'")).build());
        } catch (IllegalStateException e) {
            return Response.status(503).entity(Map.of("code", "UNAVAILABLE", "message", e.getMessage())).build();
        }
    }
}
