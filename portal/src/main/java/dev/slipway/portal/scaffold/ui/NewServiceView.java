package dev.slipway.portal.scaffold.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import dev.slipway.portal.api.ConflictException;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.api.OverloadedException;
import dev.slipway.portal.scaffold.Preview;
import dev.slipway.portal.scaffold.Scaffold;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.templates.Template;
import dev.slipway.templates.Violation;
import jakarta.annotation.security.RolesAllowed;
import java.util.List;

/**
 * The wizard: choose a template, fill the form generated from its parameter schema (checked as
 * you type), preview the exact files with the policy check, create. Then the change's page shows
 * it reaching the GitOps repository.
 */
@Route("services/new")
@PageTitle("New service · Slipway")
@Menu(title = "New service", order = 20, icon = "vaadin:plus-circle")
@RolesAllowed("DEVELOPER")
public class NewServiceView extends VerticalLayout {

    private final Scaffold scaffold;
    private final RadioButtonGroup<Template> template = new RadioButtonGroup<>("Template");
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final TextField name = new TextField("Name");
    private final TextArea description = new TextArea("Description");
    private final Div parametersHolder = new Div();
    private final Div preview = new Div();
    private final Button previewButton = new Button("Preview", VaadinIcon.EYE.create());
    private final Button createButton = new Button("Create service", VaadinIcon.CHECK.create());
    private final Paragraph formErrors = new Paragraph();
    private ParameterForm parameters;

    public NewServiceView(Scaffold scaffold, CurrentUser currentUser) {
        this.scaffold = scaffold;
        addClassName("slipway-page");
        setMaxWidth("60rem");

        template.setItems(scaffold.templates());
        template.setItemLabelGenerator(t -> t.title() + " — " + t.description());
        template.setId("template");
        template.addThemeName("vertical");
        template.addValueChangeListener(e -> templateChosen());

        var teams = currentUser.get().teams().stream().sorted().toList();
        team.setItems(teams);
        team.setId("team");
        team.setRequired(true);
        if (teams.size() == 1) {
            team.setValue(teams.getFirst());
        }
        name.setId("name");
        name.setRequired(true);
        name.setHelperText("Lower case letters, digits and '-', starting with a letter: it names the Kubernetes Service");
        name.setValueChangeMode(ValueChangeMode.LAZY);
        description.setId("description");
        description.setMaxLength(2000);
        description.setWidthFull();
        description.setValueChangeMode(ValueChangeMode.LAZY);
        for (var field : List.of(name, description)) {
            field.addValueChangeListener(e -> validate());
        }
        team.addValueChangeListener(e -> validate());

        previewButton.setId("preview");
        previewButton.addClickListener(click -> showPreview());
        createButton.setId("create");
        createButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        createButton.addClickListener(click -> create());
        formErrors.setId("form-errors");
        formErrors.addClassName("slipway-error-text");

        var identity = new Div(team, name);
        identity.addClassName("slipway-form-grid");
        add(new H3("1. Choose a template"), template, new H3("2. Describe the service"), identity, description,
                parametersHolder, formErrors, new HorizontalLayout(previewButton, createButton),
                new H3("3. What will be written"), preview);
        preview.setId("preview-result");
        preview.setWidthFull();
        preview.add(new Paragraph("Preview shows the exact files and the platform's policy check before anything is written."));
        createButton.setEnabled(false);
        previewButton.setEnabled(false);
        scaffold.templates().stream().filter(t -> t.id().equals("http-service")).findFirst().ifPresent(template::setValue);
    }

    private void templateChosen() {
        parametersHolder.removeAll();
        Template chosen = template.getValue();
        if (chosen == null) {
            return;
        }
        parameters = new ParameterForm(chosen.parametersSchema(), chosen.defaults(), this::validate);
        parametersHolder.add(parameters);
        validate();
    }

    private boolean validate() {
        Template chosen = template.getValue();
        if (chosen == null || parameters == null) {
            return false;
        }
        List<Violation> violations = scaffold.validate(chosen.id(), team.getValue(), name.getValue(),
                description.getValue(), parameters.value());
        name.setInvalid(false);
        description.setInvalid(false);
        team.setInvalid(false);
        var elsewhere = parameters.show(violations.stream().filter(v -> v.path().startsWith("parameters")).toList());
        for (Violation violation : violations) {
            switch (violation.path()) {
                case "name" -> invalid(name, violation.message());
                case "description" -> invalid(description, violation.message());
                case "team" -> {
                    team.setErrorMessage(violation.message());
                    team.setInvalid(true);
                }
                default -> { }
            }
        }
        formErrors.setText(elsewhere.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse(""));
        boolean valid = violations.isEmpty() && !name.getValue().isBlank();
        previewButton.setEnabled(valid);
        createButton.setEnabled(valid);
        return valid;
    }

    private static void invalid(TextField field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(!field.getValue().isEmpty());
    }

    private static void invalid(TextArea field, String message) {
        field.setErrorMessage(message);
        field.setInvalid(true);
    }

    private void showPreview() {
        if (!validate()) {
            return;
        }
        preview.removeAll();
        Preview result = scaffold.preview(template.getValue().id(), team.getValue(), name.getValue(),
                description.getValue(), parameters.value());
        if (result.passesPolicy()) {
            var ok = new Paragraph("The policy check passes in every environment.");
            ok.setId("policy-passes");
            ok.addClassName("slipway-ok-text");
            preview.add(ok);
        } else {
            var list = new UnorderedList();
            list.setId("policy-violations");
            result.violations().forEach(v -> list.add(new ListItem(v.toString())));
            preview.add(new Paragraph("The policy check refuses this service:"), list);
            createButton.setEnabled(false);
        }
        for (var file : result.changeSet().files()) {
            var content = new Pre(file.content());
            content.addClassName("slipway-file");
            var details = new Details(new Span(file.path()), content);
            details.addClassName("slipway-file-details");
            preview.add(details);
        }
    }

    private void create() {
        if (!validate()) {
            return;
        }
        try {
            Scaffold.Created created = scaffold.create(template.getValue().id(), team.getValue(), name.getValue(),
                    description.getValue(), parameters.value());
            Notification.show("Service " + created.service().team() + "/" + created.service().name() + " created",
                    3000, Notification.Position.BOTTOM_START).addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            // the change's page belongs to the gitops feature: reached by its address, not its class
            getUI().ifPresent(ui -> ui.navigate("changes/" + created.change().id()));
        } catch (ConflictException taken) {
            invalid(name, taken.getMessage());
            name.setInvalid(true);
        } catch (InvalidInputException invalid) {
            formErrors.setText(invalid.getMessage());
        } catch (OverloadedException busy) {
            formErrors.setText(busy.getMessage());
        }
    }
}
