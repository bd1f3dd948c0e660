package dev.robustsynth.service.api;

import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import dev.robustsynth.spi.ModelInfo;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.TreeSet;

/** A small read-only HTTP view of what this instance serves: task types with their schemas, and models. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceResource {
    @Inject
    ServiceLifecycle lifecycle;

    /** One served task type. */
    public record TaskView(String type, String version, String title, String plugin, String pluginSpiVersion,
                           String source, List<String> imageParameters, List<String> outputMediaTypes) {
    }

    /** One served model. */
    public record ModelView(String name, String sha256, List<String> classes, String inputShape, boolean robust) {
    }

    private ServiceAssembly service() {
        ServiceAssembly s = lifecycle.assembly();
        if (s == null) {
            throw new ServiceUnavailableException("the service is not started");
        }
        return s;
    }

    @GET
    @Path("/tasks")
    public List<TaskView> tasks() {
        return service().plugins().factories().stream().map(ServiceResource::view).toList();
    }

    @GET
    @Path("/tasks/{type}/schema")
    public String schema(@PathParam("type") String type) {
        return service().plugins().factory(type).map(f -> f.descriptor().parametersSchema())
                .orElseThrow(() -> new NotFoundException("unknown task type '" + type + "'"));
    }

    @GET
    @Path("/models")
    public List<ModelView> models() {
        ServiceAssembly s = service();
        return new TreeSet<>(s.engine().modelNames()).stream().map(n -> s.engine().modelInfo(n)).flatMap(
                java.util.Optional::stream).map(ServiceResource::view).toList();
    }

    private static TaskView view(HostedFactory f) {
        return new TaskView(f.type(), f.descriptor().version(), f.descriptor().title(), f.pluginName(),
                f.pluginSpiVersion(), f.source().describe(), new TreeSet<>(f.descriptor().imageParameters())
                .stream().toList(), f.descriptor().outputMediaTypes());
    }

    private static ModelView view(ModelInfo m) {
        return new ModelView(m.name(), m.sha256(), m.classes(), m.inputShape(), m.threatModel().isPresent());
    }
}
