package dev.slipway.portal.scaffold;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.templates.Template;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/templates")
@Tag(name = "Templates", description = "What services are made from, and previews of what creating one writes")
class TemplatesController {

    /** The templates library speaks Jackson 2 (fabric8's); the API answers with plain maps. */
    private static final ObjectMapper TEMPLATES_JSON = new ObjectMapper();

    private final Scaffold scaffold;

    TemplatesController(Scaffold scaffold) {
        this.scaffold = scaffold;
    }

    record TemplateView(String id, String version, String title, String description, String chart,
                        Map<String, Object> parametersSchema, Map<String, Object> defaults) {
        @SuppressWarnings("unchecked")
        static TemplateView of(Template t) {
            return new TemplateView(t.id(), t.version(), t.title(), t.description(), t.chart(),
                    TEMPLATES_JSON.convertValue(t.parametersSchema(), Map.class),
                    TEMPLATES_JSON.convertValue(t.defaults(), Map.class));
        }
    }

    record PreviewRequest(String team, String name, String description, Map<String, Object> parameters) {
    }

    record FileView(String path, String content) {
    }

    record ViolationView(String path, String message) {
    }

    record PreviewView(String template, String templateVersion, List<FileView> files, boolean passesPolicy,
                       List<ViolationView> violations) {
    }

    @GetMapping
    @Operation(summary = "Templates with their parameter JSON Schemas and defaults")
    List<TemplateView> templates() {
        return scaffold.templates().stream().map(TemplateView::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One template")
    TemplateView template(@PathVariable String id) {
        return TemplateView.of(scaffold.template(id));
    }

    @PostMapping(path = "/{id}/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The files creating this service would write, and the policy check; writes nothing",
            description = "422 names each field at fault (team, name, description, parameters.<path>).")
    PreviewView preview(@PathVariable String id, @RequestBody PreviewRequest request) {
        Preview preview = scaffold.preview(id, request.team(), request.name(), request.description(),
                request.parameters() == null ? null : TEMPLATES_JSON.valueToTree(request.parameters()));
        return new PreviewView(preview.template(), preview.templateVersion(),
                preview.changeSet().files().stream().map(f -> new FileView(f.path(), f.content())).toList(),
                preview.passesPolicy(),
                preview.violations().stream().map(v -> new ViolationView(v.path(), v.message())).toList());
    }
}
