/**
 * The webhook runner ({@code java -jar app-webhook.jar}, the Render web service). {@code WebhookMain} reads the
 * settings (or, given arguments, runs an operator command of the runtime's {@code cli}) and stops the bot on
 * SIGTERM; {@code WebhookServer} assembles the runtime's {@code Kiebot}, maps the runtime's doors to routes
 * ({@code POST /telegram}, {@code POST /kie/callback/{token}}) on the runtime's HTTP app (which already serves
 * {@code /healthz}, {@code /readyz} and {@code /metrics}), and registers the webhook in the background.
 *
 * <p>Transport only: what opens a door, how much of a body it reads and what it answers are the runtime's
 * ({@code dev.kiebot.runtime.intake}); a route hands the door the request's header, length and body stream and
 * writes back its {@code HttpAnswer}. A runner uses nothing but {@code app-runtime}, Javalin and SLF4J
 * ({@code architecture}'s {@code DependencyRulesTest}).
 */
package dev.kiebot.webhook;
