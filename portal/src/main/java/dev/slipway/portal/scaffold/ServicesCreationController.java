package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.portal.gitops.ChangeRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/services")
@Tag(name = "Catalog")
class ServicesCreationController {

    private static final ObjectMapper TEMPLATES_JSON = new ObjectMapper();

    private final Scaffold scaffold;

    ServicesCreationController(Scaffold scaffold) {
        this.scaffold = scaffold;
    }

    record CreateServiceRequest(String team, String name, String template, String description,
                                Map<String, Object> parameters) {
    }

    record ServiceRef(UUID id, String team, String name, String template, String templateVersion) {
    }

    record CreatedView(ServiceRef service, ChangeRecord change) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Create a service from a template",
            description = "202: the service is in the catalog and its change is pending; follow it at"
                    + " /api/v1/changes/{id}. 403 not a developer of the team, 404 unknown template or team,"
                    + " 409 the name is taken, 422 each broken rule with its field. None of these writes anything.")
    ResponseEntity<CreatedView> create(@RequestBody CreateServiceRequest request) {
        if (request.template() == null || request.template().isBlank()) {
            throw dev.slipway.portal.api.InvalidInputException.of("template", "is required");
        }
        Scaffold.Created created = scaffold.create(request.template(), request.team(), request.name(),
                request.description(),
                request.parameters() == null ? null : TEMPLATES_JSON.valueToTree(request.parameters()));
        var service = created.service();
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/changes/" + created.change().id()))
                .body(new CreatedView(new ServiceRef(service.id(), service.team(), service.name(), service.templateId(),
                        service.templateVersion()), created.change()));
    }
}
