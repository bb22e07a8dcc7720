package dev.slipway.portal.security;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;

/** What someone sees who signed in but holds no Slipway role: what is missing and whom to ask. */
public class NoRolePanel extends Div {

    public NoRolePanel(SlipwayUser user) {
        addClassName("slipway-empty");
        setId("no-role");
        add(new H2("You have no role in Slipway yet"), new Paragraph(user.has(Role.SCANNER)
                ? "You are signed in as " + user.username() + ", which holds only the scanner role: it uploads scan"
                        + " reports through the API (POST /api/v1/scans) and sees nothing else."
                : "You are signed in as " + user.username() + ", but you are in no team and hold no"
                        + " role (developer, qa, security or platform-admin). Ask a platform admin to add your"
                        + " Entra ID group to a team or role."));
    }
}
