package dev.slipway.portal.gitops;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.stereotype.Component;

/**
 * Tells open views that a change moved, so that they can show it at once (Vaadin push). Views
 * register while attached; a listener gets every change's state and picks its own.
 */
@Component
public class ChangeBroadcaster {

    private final Set<Consumer<Changes.StateChanged>> listeners = new CopyOnWriteArraySet<>();

    /** Registers a listener; run the returned handle to unregister (on detach). */
    public Runnable register(Consumer<Changes.StateChanged> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    // after the commit, so that a view reading the change again sees the new state
    @TransactionalEventListener(fallbackExecution = true)
    void on(Changes.StateChanged event) {
        listeners.forEach(listener -> listener.accept(event));
    }

    public boolean isFor(Changes.StateChanged event, UUID changeId) {
        return event.changeId().equals(changeId);
    }
}
