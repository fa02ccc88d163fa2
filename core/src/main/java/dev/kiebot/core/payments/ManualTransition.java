package dev.kiebot.core.payments;

/**
 * What a compare-and-set on a manual request found.
 *
 * @param request the request as stored after the call
 * @param now     whether this call made the change (false: an earlier call, another admin or the expiry did)
 */
public record ManualTransition(ManualTopUp request, boolean now) {
}
