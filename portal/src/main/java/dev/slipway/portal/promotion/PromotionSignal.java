package dev.slipway.portal.promotion;

import dev.slipway.portal.database.WakeSignal;
import org.springframework.stereotype.Component;

/** Wakes the promotion worker when something it waits for happened (an approval, a change, a status). */
@Component
class PromotionSignal extends WakeSignal {
}
