package dev.slipway.portal.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.spring.security.AuthenticationContext;
import dev.slipway.portal.security.CurrentUser;
import dev.slipway.portal.security.Role;
import dev.slipway.portal.security.SlipwayUser;
import java.util.stream.Collectors;

/**
 * The shell: the side navigation (entries appear as their features land), the page's title in
 * the navbar, and who is signed in with their roles and teams.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout implements AfterNavigationObserver {

    private final H1 pageTitle = new H1();

    public MainLayout(CurrentUser currentUser, AuthenticationContext authentication,
                      java.util.List<NavBadges> badges) {
        setPrimarySection(Section.DRAWER);
        pageTitle.addClassName("slipway-page-title");
        addToNavbar(new DrawerToggle(), pageTitle);

        var brand = new Div(new Span("Slipway"));
        brand.addClassName("slipway-brand");

        // each feature's views declare their entry with @Menu; only those the user may open are listed
        var nav = new SideNav();
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            var item = new SideNavItem(entry.title(), entry.path());
            if (entry.icon() != null && entry.icon().contains(":")) {
                String[] icon = entry.icon().split(":", 2);
                item.setPrefixComponent(new Icon(icon[0], icon[1]));
            }
            badges.stream().map(b -> b.badgeFor(entry.path())).flatMap(java.util.Optional::stream).findFirst()
                    .ifPresent(item::setSuffixComponent);
            nav.addItem(item);
        }

        var drawer = new VerticalLayout(brand, nav);
        drawer.setPadding(false);
        drawer.setSpacing(false);
        drawer.addClassName("slipway-drawer");
        currentUser.find().ifPresent(user -> drawer.add(userCard(user, authentication)));
        addToDrawer(drawer);
    }

    private static Div userCard(SlipwayUser user, AuthenticationContext authentication) {
        var avatar = new Avatar(user.displayName());
        var name = new Span(user.displayName());
        name.addClassName("slipway-user-name");
        var roles = new Span(user.roles().isEmpty() ? "no role"
                : user.roles().stream().sorted().map(Role::id).collect(Collectors.joining(", ")));
        roles.addClassName("slipway-user-detail");
        roles.setId("user-roles");
        var teams = new Span(user.teams().isEmpty() ? "no team"
                : "team " + user.teams().stream().sorted().collect(Collectors.joining(", ")));
        teams.addClassName("slipway-user-detail");
        var signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), click -> authentication.logout());
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        signOut.setId("sign-out");
        var text = new VerticalLayout(name, roles, teams);
        text.setPadding(false);
        text.setSpacing(false);
        var card = new Div(new HorizontalLayout(avatar, text), signOut);
        card.addClassName("slipway-user");
        card.setId("signed-in-user");
        return card;
    }

    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        String title = getContent() == null ? "" : getContent().getClass().getSimpleName();
        if (getContent() instanceof com.vaadin.flow.router.HasDynamicTitle dynamic) {
            title = dynamic.getPageTitle();
        } else if (getContent() != null) {
            var annotation = getContent().getClass().getAnnotation(com.vaadin.flow.router.PageTitle.class);
            title = annotation == null ? "" : annotation.value();
        }
        pageTitle.setText(title.replace(" · Slipway", ""));
    }
}
