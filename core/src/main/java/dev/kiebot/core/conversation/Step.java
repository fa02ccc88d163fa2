package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.Reply;
import java.util.List;

/** The result of one event: the chat's next session, what to say, and what to do. */
public record Step(ChatSession session, List<Reply> replies, List<Effect> effects) {
    public Step {
        replies = List.copyOf(replies);
        effects = List.copyOf(effects);
    }
}
