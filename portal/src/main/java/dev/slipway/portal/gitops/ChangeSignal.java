package dev.slipway.portal.gitops;

import dev.slipway.portal.database.WakeSignal;
import org.springframework.stereotype.Component;

/** Wakes the change worker as soon as a change is committed, instead of waiting for its next poll. */
@Component
class ChangeSignal extends WakeSignal {
}
