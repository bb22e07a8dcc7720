package dev.slipway.portal.promotion;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells open views that a promotion moved, once the move is committed, so that they redraw at once
 * (Vaadin push). Views register while attached.
 */
@Component
public class PromotionEvents {

    /** A promotion moved to {@code state}. */
    public record Changed(UUID id, String team, String service, String environment, PromotionState state) {
    }

    private final Set<Consumer<Changed>> listeners = new CopyOnWriteArraySet<>();

    /** Registers a listener; run the returned handle to unregister (on detach). */
    public Runnable listen(Consumer<Changed> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @EventListener
    void on(Changed changed) {
        listeners.forEach(listener -> listener.accept(changed));
    }
}
