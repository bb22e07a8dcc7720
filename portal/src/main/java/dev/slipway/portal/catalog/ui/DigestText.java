package dev.slipway.portal.catalog.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.notification.Notification;

/** An image digest as people read it ({@code sha256:3f1c2ab4e5f6}), with a button that copies the whole of it. */
public final class DigestText {

    private DigestText() {
    }

    public static Div of(String digest) {
        return of(shortForm(digest), digest, "Digest copied");
    }

    /** Any value shown with a button that copies it ({@code copied}: what the notification says). */
    public static Div of(String shown, String value, String copied) {
        var text = new Span(shown);
        text.addClassName("slipway-digest");
        text.getElement().setAttribute("title", value);
        var copy = new Button(VaadinIcon.COPY_O.create(), click -> {
            click.getSource().getElement().executeJs("navigator.clipboard && navigator.clipboard.writeText($0)", value);
            Notification.show(copied, 1500, Notification.Position.BOTTOM_START);
        });
        copy.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE, ButtonVariant.LUMO_SMALL);
        copy.setAriaLabel("Copy " + value);
        var cell = new Div(text, copy);
        cell.addClassName("slipway-digest-cell");
        return cell;
    }

    /** {@code sha256:} and the first 12 hex digits. */
    public static String shortForm(String digest) {
        int colon = digest.indexOf(':');
        return digest.substring(0, Math.min(digest.length(), colon + 13));
    }
}
