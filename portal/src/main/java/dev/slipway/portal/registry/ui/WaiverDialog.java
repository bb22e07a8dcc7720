package dev.slipway.portal.registry.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.textfield.TextArea;
import dev.slipway.portal.api.InvalidInputException;
import dev.slipway.portal.registry.ServiceImages;
import dev.slipway.portal.registry.Waivers;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A security user waives one finding: for this image or every image of the service, until a date
 * no later than the platform allows, with a reason. The service checks it all again.
 */
final class WaiverDialog extends Dialog {

    private static final String THIS_IMAGE = "This image only";

    WaiverDialog(Waivers waivers, int maxDays, Clock clock, String team, String service, String digest,
                 ServiceImages.FindingView finding, Runnable saved) {
        setHeaderTitle("Waive " + finding.vulnerabilityId());
        setId("waiver-dialog");
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));

        var scope = new RadioButtonGroup<String>("For");
        String everyImage = "Every image of " + team + "/" + service;
        scope.setItems(THIS_IMAGE, everyImage);
        scope.setValue(THIS_IMAGE);
        scope.setId("waiver-scope");

        var until = new DatePicker("Until (end of the day, UTC)");
        until.setMin(today.plusDays(1));
        until.setMax(today.plusDays(maxDays));
        until.setValue(today.plusDays(Math.min(30, maxDays)));
        until.setHelperText("At most " + maxDays + " days from today");
        until.setRequiredIndicatorVisible(true);
        until.setId("waiver-until");

        var reason = new TextArea("Reason");
        reason.setRequired(true);
        reason.setMaxLength(2000);
        reason.setPlaceholder("Why this finding may wait: not reachable, mitigated by…, fix planned in…");
        reason.setWidthFull();
        reason.setId("waiver-reason");

        var save = new Button("Waive", click -> {
            until.setInvalid(false);
            reason.setInvalid(false);
            try {
                waivers.grant(finding.vulnerabilityId(), team, service, THIS_IMAGE.equals(scope.getValue()) ? digest : null,
                        until.getValue() == null ? null
                                : until.getValue().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1),
                        reason.getValue());
                close();
                Notification.show(finding.vulnerabilityId() + " waived until " + until.getValue(), 3000,
                        Notification.Position.BOTTOM_START);
                saved.run();
            } catch (InvalidInputException invalid) {
                invalid.errors().forEach(error -> {
                    switch (error.field()) {
                        case "until" -> {
                            until.setErrorMessage(error.message());
                            until.setInvalid(true);
                        }
                        case "reason" -> {
                            reason.setErrorMessage(error.message());
                            reason.setInvalid(true);
                        }
                        default -> Notification.show(error.field() + " " + error.message(), 5000,
                                Notification.Position.MIDDLE);
                    }
                });
            }
        });
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.setId("waiver-save");
        var cancel = new Button("Cancel", click -> close());

        var body = new VerticalLayout(new Paragraph(finding.packageName() + " " + (finding.installedVersion() == null ? ""
                : finding.installedVersion()) + ", " + finding.severity()), scope, until, reason);
        body.setPadding(false);
        add(body);
        getFooter().add(cancel, save);
        setWidth("32rem");
    }
}
