package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Category;
import java.util.List;
import java.util.Map;

/** Where a chat is in the conversation. Persisted through {@link ChatStateCodec}. */
public sealed interface ChatState {

    /** At the main menu (also the state of a new chat). */
    record Menu() implements ChatState {
    }

    /**
     * Browsing the models of a category, {@code page} from 0.
     *
     * @param category the category listed
     * @param page     the page shown, from 0
     */
    record Browsing(Category category, int page) implements ChatState {
    }

    /**
     * Looking at a model's card with its price.
     *
     * @param modelId the model shown
     */
    record Viewing(String modelId) implements ChatState {
    }

    /**
     * Answering the model's asked fields one by one.
     *
     * @param modelId the model being ordered
     * @param field   index into {@code Model.askedFields()} of the field asked now
     * @param values  the answers so far, by field name
     * @param files   the files so far (the platform's file ids), by field name
     */
    record Collecting(String modelId, int field, Map<String, String> values, Map<String, List<String>> files)
            implements ChatState {
        /**
         * Copies the maps.
         *
         * @param modelId the model being ordered
         * @param field   the field asked now
         * @param values  copied
         * @param files   copied
         */
        public Collecting {
            values = Map.copyOf(values);
            files = Map.copyOf(files);
        }
    }

    /**
     * Shown the price and balance, waiting for "confirm".
     *
     * @param modelId the model being ordered
     * @param values  every answer, by field name
     * @param files   every file (the platform's file ids), by field name
     */
    record Confirming(String modelId, Map<String, String> values, Map<String, List<String>> files)
            implements ChatState {
        /**
         * Copies the maps.
         *
         * @param modelId the model being ordered
         * @param values  copied
         * @param files   copied
         */
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

    /**
     * Said "I paid" for manual request {@code requestId}: a photo now is its receipt.
     *
     * @param requestId the card / SBP request
     */
    record ManualReceipt(long requestId) implements ChatState {
    }

    /** After /paysupport: the next text is the payment problem. */
    record WritingTicket() implements ChatState {
    }
}
