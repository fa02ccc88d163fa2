/**
 * The HTTP side every instance has, whichever runner: {@code HttpEndpoints} builds the Javalin app with
 * {@code /healthz} (and {@code /health}), {@code /readyz} and {@code /metrics}, and bounds its threads and request
 * size; the webhook runner adds its routes to that app, the polling runner serves it only when {@code PORT} is set.
 * {@code Health} is what {@code /readyz} reports (the database within a short probe, migrations, whether Telegram
 * updates reach this instance, and {@code CallTimes}: when Telegram and Kie last answered well);
 * {@code MetricsAccess} decides who may read {@code /metrics} (a Bearer {@code METRICS_TOKEN}, else this machine
 * only, and nobody on a bot with a public URL).
 *
 * <p>Also the small types the doors share with their runner, so that a runner needs no more than Javalin:
 * {@code RequestBody} (a body read only after a door let the request in, and no further than its limit) and
 * {@code HttpAnswer} (what a door answers). The doors themselves (what opens them, what they do) are
 * {@code intake}'s; the meters behind {@code /metrics} are {@code metrics}'.
 */
package dev.kiebot.runtime.http;
