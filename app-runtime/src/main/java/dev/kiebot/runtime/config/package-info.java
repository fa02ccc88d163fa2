/**
 * The configuration: the environment is read here, once at start, and nowhere else in the bot (the adapters are
 * handed what is read here). {@code Settings.fromEnv} reads every variable and checks them together, throwing one
 * {@code ConfigException} that names every wrong variable, so an operator fixes the configuration in one go (the
 * runners read {@code Settings.fromEnvironment} through {@code StartFailure.orExit}, which logs it as one line and
 * exits with 2). Each concern is one typed record
 * ({@code TelegramSettings}, {@code HttpSettings}, {@code KieSettings}, {@code CatalogSettings},
 * {@code SmokeTestSettings}), or is read straight into the settings type of the module that uses it: core's
 * {@code ShopSettings} ({@code ShopVariables}) and {@code ManualPayments} ({@code ManualPaymentVariables}), the
 * PostgreSQL adapter's {@code DatabaseSettings} ({@code DatabaseVariables}), whose defaults stay that module's.
 *
 * <p>Secrets are kept apart from the start. A problem never quotes the value of a variable that holds or may hold
 * one ({@code Env.SECRET_VARIABLES}, and every URL, named {@code *_URL}: it says what is wrong with the shape
 * instead), and any secret pasted into another variable is cut out of it. The secret variables' values, and the
 * password in any URL, are known to {@code Env} as soon as the environment is handed over, and {@code Settings} hands
 * them to the log masking before anything is read, whatever the outcome: a start that fails on its configuration
 * shows them no more than one that went well. Every secret (also the door secrets {@code DoorSecret} derives from the
 * bot token when none is set, one per door) is masked, and no {@code toString} here shows one.
 *
 * <p>The earlier bots' names are read as aliases, and each of their variables that does nothing here gets one
 * start-up line ({@code EarlierVariables}, in {@code Settings.notices()}). Only reading and checking lives here: what
 * a value does is decided where it is used.
 */
package dev.kiebot.runtime.config;
