package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Category;
import java.util.List;
import java.util.Map;

/** Where a chat is in the conversation. Persisted through {@link ChatStateCodec}. */
public sealed interface ChatState {

    /** At the main menu (also the state of a new chat). */
    record Menu() implements ChatState {
    }

    /** Browsing the models of a category, {@code page} from 0. */
    record Browsing(Category category, int page) implements ChatState {
    }

    /** Looking at a model's card with its price. */
    record Viewing(String modelId) implements ChatState {
    }

    /**
     * Answering the model's asked fields one by one.
     *
     * @param field index into {@code Model.askedFields()} of the field asked now
     */
    record Collecting(String modelId, int field, Map<String, String> values, Map<String, List<String>> files)
            implements ChatState {
        public Collecting {
            values = Map.copyOf(values);
            files = Map.copyOf(files);
        }
    }

    /** Shown the price and balance, waiting for "confirm". */
    record Confirming(String modelId, Map<String, String> values, Map<String, List<String>> files)
            implements ChatState {
        public Confirming {
            values = Map.copyOf(values);
            files = Map.copyOf(files);
        }
    }

    /** Choosing a Stars top-up package. */
    record TopUp() implements ChatState {
    }

    // issue 10
    /** Choosing or typing the amount of a card / SBP top-up. */
    record ManualAmount() implements ChatState {
    }

    /** Said "I paid" for manual request {@code requestId}: a photo now is its receipt. */
    record ManualReceipt(long requestId) implements ChatState {
    }

    /** After /paysupport: the next text is the payment problem. */
    record WritingTicket() implements ChatState {
    }
}
