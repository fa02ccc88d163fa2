/**
 * The conversation as a pure function: {@code Conversation} takes a chat's {@code ChatSession}, an
 * {@code Incoming} event and read-only facts ({@code Context}) and returns a {@code Step}: the next session,
 * the replies and the {@code Effect}s for the storefront to carry out. It alone decides the next state
 * ({@code Navigation}, {@code ButtonPress}, {@code InputCollection}, {@code CardPayment} and
 * {@code PaymentDispute} are its parts); {@code Screens} and {@code PaymentScreens} only render. Port:
 * {@code ChatStates} (each chat's session as one text, which core writes and reads with {@code ChatStateCodec}
 * through {@code ChatSessions}). Rule: every state × every event gets an answer (zero silence); a press on an older
 * screen is stale.
 *
 * <p>For a partner: your adapter turns each update of your platform into an {@code Incoming} (an {@code Actor}, an
 * {@code Event}, the chat's kind with {@code Incoming.in(ChatKind)}) for {@code Storefront.serve}; implement
 * {@code ChatStates}, a store of one text per chat kept as it is (core-testing's {@code StoresContract} checks it),
 * and set the operator's {@code ShopSettings} ({@code ShopSettings.defaults()} and its {@code with} methods). Give a
 * text's and a command's message id and date ({@code Event.Text.inMessage} and {@code sentAt},
 * {@code Event.Command.sent}) when your platform has them: the parts of a long text a client sent as several messages
 * are then taken as one; without them each part is a text of its own. {@code ModelLink} and {@code ReferralLink}
 * make the {@code /start} parameters of a link to a model's card and of a user's invitation, for links you build
 * outside the bot (a web page, an ad): links already posted keep working, so their form changes only with a line in
 * the CHANGELOG. The conversation itself, its sessions, screens, states and effects are public only because the
 * shop's services in {@code dev.kiebot.core.shop} run them: they are core's to call, not yours.
 *
 * <p>Not partner API: {@code Conversation} (its public constructor too), {@code Step}, {@code Context} and
 * {@code Invitation}, what a context tells of a {@code /start}'s invitation link,
 * {@code Effect}, its records and {@code Effect.Handler}; {@code ChatSession}, {@code ChatState} and its records,
 * {@code ChatStateCodec} and {@code ChatSessions}, a chat's session and its text form (your {@code ChatStates} keeps
 * that text and never names them), with {@code LongText}, {@code MoneyConfirmation}, {@code ReceiptAlbum} and
 * {@code TicketJustOpened}, what a session keeps for the conversation; and {@code JobTitle}, {@code ProgressLine} and
 * {@code OptionWords}, how the shop's services name a job's model and write its progress and options; and
 * {@code TypedUserId}, how the admin's commands and the conversation's buttons read a user's id. They are
 * listed apart in the architecture module's {@code core-public-types.txt}, and may change in any release without a
 * line in the CHANGELOG.
 */
package dev.kiebot.core.conversation;
