package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Snippet;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Answering a model's asked fields one by one: typed text, numbers and choices, files with
 * their type, size and clip-length checks, and the option/default/done buttons. Every wrong
 * answer re-asks the same field with the reason, so the chat never goes silent or loses input.
 */
final class InputCollection {
    /** Holds a file's caption until the next text field takes it; never sent anywhere. */
    static final String CAPTION = "~caption";
    /**
     * The message whose caption {@link #CAPTION} holds: the caption that answers the description makes that message
     * the {@link #PROMPT_MESSAGE}, so that an edit of the caption changes the description. Never sent anywhere.
     */
    static final String CAPTION_MESSAGE = "~caption_message";
    /**
     * Marks an order being changed from its confirmation ({@link #edit}): once the field is answered, or kept, or
     * «Назад» pressed, the confirmation comes back, nothing else asked. Never sent anywhere, like {@link #CAPTION}.
     */
    static final String EDITING = "~editing";
    /** The media field whose files are the ones given before (a change, «Назад»): the first new file replaces them. */
    static final String FRESH = "~fresh";
    /**
     * The album the last file taken came in and the field it went to ({@code field|album}): the album's other files
     * come as messages of their own, and once that field is done they are left out, not the answers to the questions
     * after it. Never sent anywhere, like {@link #CAPTION}.
     */
    static final String ALBUM = "~album";
    /**
     * The album whose files were answered with a refusal ({@code album|reason}): the album's other files refused for
     * the same reason are let go without a word. Telegram sends each file of an album as a message of its own, and ten
     * photos where one is taken were ten answers, each with the question again. Kept in the chat's state (not this
     * process's memory), into the confirmation too. Never sent anywhere, like {@link #CAPTION}.
     */
    static final String ALBUM_TOLD = "~album_told";
    /**
     * The message (its id in the chat) whose text or caption is the order's description: kept into the confirmation,
     * where an edit of that message changes the description ({@link #editedPrompt}). Left out of the job, like the
     * others.
     */
    static final String PROMPT_MESSAGE = "~prompt_message";
    /**
     * A number as people type it: digits, a point or a comma, at most 15 digits before it and 9 after. Parsed by
     * {@code BigDecimal} alone, a short text such as {@code 1e-300000000} would pass a 0..1 range and then be written
     * out in full (hundreds of millions of digits, the heap gone) into the chat's state and the provider's request.
     */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[-+]?(\\d{1,15}([.,]\\d{0,9})?|[.,]\\d{1,9})");
    private final Screens screens;
    private final InputScreens questions;
    private final Pricing pricing;
    private final FreeTier freeTier;
    /** The largest file the platform lets the bot download ({@code FileSource.downloadBytesMax()}). */
    private final long downloadBytesMax;

    InputCollection(Screens screens, Pricing pricing, FreeTier freeTier, long downloadBytesMax) {
        this.screens = screens;
        this.questions = new InputScreens(screens, pricing, freeTier);
        this.pricing = pricing;
        this.freeTier = freeTier;
        this.downloadBytesMax = downloadBytesMax;
    }

    /** {@code bytes} in MB of 1024 × 1024 as a user reads them: «20», «9,5» (to a tenth, down, in his language). */
    static String megabytes(long bytes, String lang) {
        long tenths = Math.max(1, bytes * 10 / (1024 * 1024)); // «0 МБ» for a limit under 0.1 MB says nothing
        return tenths % 10 == 0 ? Long.toString(tenths / 10)
                : tenths / 10 + ("en".equals(lang) ? "." : ",") + tenths % 10;
    }

    /**
     * The one quote of this update for these inputs (see {@link Quote}); empty when the model no longer prices them
     * (values kept from before a catalog change), which no screen may show a price for.
     */
    Optional<Quote> quote(Model m, Map<String, String> values, Context ctx) {
        return m.skuFor(values).map(sku -> Quote.of(m, values, pricing, freeTier, ctx.balance(), ctx.freeUsedToday()));
    }

    /** Asks for the field {@code c} points at: the chat moves there, the question is a new message. */
    void ask(Turn turn, Context ctx, Model m, ChatState.Collecting c, String prefix) {
        long v = turn.moveTo(c);
        turn.send(questions.ask(turn.language, v, m, c, prefix, freeTier.freeNow(List.of(m), ctx::freeUsedToday)));
    }

    /** A file of several came: how many so far and how many fit, without the question said again under it. */
    private void gotFile(Turn turn, Context ctx, Model m, ChatState.Collecting c) {
        long v = turn.moveTo(c);
        turn.tally(questions.gotFile(turn.language, v, m, c, freeTier.freeNow(List.of(m), ctx::freeUsedToday)));
    }

    /**
     * Every input is in: the chat waits for "generate" on the quoted price. Inputs the model no longer prices (an
     * «again» of a job from before a catalog change) are asked for anew, from the first field.
     */
    void confirm(Turn turn, Context ctx, Model m, ChatState.Confirming c) {
        confirm(turn, ctx, m, c, false);
    }

    /** @param inPlace replaces the pressed message (the edit list) instead of sending a new one */
    private void confirm(Turn turn, Context ctx, Model m, ChatState.Confirming c, boolean inPlace) {
        confirm(turn, ctx, m, c, inPlace, "");
    }

    /** @param prefix what went before, above the confirmation (none when empty) */
    private void confirm(Turn turn, Context ctx, Model m, ChatState.Confirming c, boolean inPlace, String prefix) {
        // never a price on an order a required answer is missing from (an «again» of a generation whose inputs were
        // erased by /forget, a kept order from before a catalog change): its «Сгенерировать» started a paid job
        // without them; the first such field is asked, the answers there kept. Before the price: a missing priced
        // answer leaves the order unquoted, which is not the catalog changing
        List<InputField> fields = m.askedFields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).required() && !answered(fields.get(i), c.values(), c.files())) {
                turn.stopEditing();
                ask(turn, ctx, m, new ChatState.Collecting(m.id(), i, c.values(), c.files()), prefix);
                return;
            }
        }
        Optional<Quote> quote = quote(m, c.values(), ctx);
        if (quote.isEmpty()) {
            ask(turn, ctx, m, new ChatState.Collecting(m.id(), 0, Map.of(), Map.of()), t(turn, Msg.CONFIRM_OPTIONS_CHANGED));
            return;
        }
        long v = turn.moveTo(c);
        Screen screen = questions.confirm(turn.language, v, m, c, quote.get(), ctx.balance(),
                freeTier.left(ctx.freeUsedToday()), ctx.now());
        if (!prefix.isEmpty()) {
            screen = new Screen(prefix + "\n\n" + screen.text(), screen.keyboard());
        }
        if (inPlace) {
            turn.show(screen);
        } else {
            turn.send(screen);
        }
    }

    /**
     * «Изменить» on the confirmation: the list of the order's fields in place of it ({@code arg} empty), the order as
     * it was ({@link InputScreens#EDIT_DONE}), or field {@code arg} asked again, its answer kept until a new one is given
     * («Оставить» keeps it; a media field's first new file replaces its files), the confirmation back after it.
     *
     * @return false when {@code arg} names no field of the model
     */
    boolean edit(Turn turn, Context ctx, Model m, ChatState.Confirming c, String arg) {
        if (arg.isEmpty()) {
            turn.show(questions.editList(turn.language, turn.version(), m));
            return true;
        }
        if (arg.equals(InputScreens.EDIT_DONE)) {
            confirm(turn, ctx, m, c, true);
            return true;
        }
        if (!arg.matches("\\d{1,3}") || Integer.parseInt(arg) >= m.askedFields().size()) {
            return false;
        }
        Map<String, String> values = new HashMap<>(c.values());
        values.put(EDITING, "1");
        turn.stopEditing(); // the question is a new message, as every question is
        ask(turn, ctx, m, again(m, new ChatState.Collecting(c.modelId(), Integer.parseInt(arg), values, c.files())), "");
        return true;
    }

    /**
     * «Назад» under a question: the field before it, its answer kept until a new one is given; the files of this one,
     * half given, go (kept, the field would count as answered and be passed over). While an order is being changed,
     * the confirmation as it was. @return false on the first field of a new order
     */
    private boolean previous(Turn turn, Context ctx, Model m, ChatState.Collecting c) {
        if (c.values().containsKey(EDITING)) {
            confirm(turn, ctx, m, confirming(c, confirmed(c.values())));
            return true;
        }
        if (c.field() == 0) {
            return false;
        }
        Map<String, List<String>> files = new HashMap<>(c.files());
        files.remove(m.askedFields().get(c.field()).name());
        ask(turn, ctx, m, again(m, new ChatState.Collecting(c.modelId(), c.field() - 1, c.values(), files)), "");
        return true;
    }

    /** «Оставить» under a question asked again: its answer stays, on to what comes next. */
    private boolean keep(Turn turn, Context ctx, Model m, ChatState.Collecting c) {
        InputField f = m.askedFields().get(c.field());
        if (!answered(f, c.values(), c.files())) {
            return false;
        }
        Map<String, String> values = new HashMap<>(c.values());
        values.remove(FRESH);
        next(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()));
        return true;
    }

    /** {@code c}, its field asked again: a media field's files marked to be replaced by the first new one. */
    private static ChatState.Collecting again(Model m, ChatState.Collecting c) {
        InputField f = m.askedFields().get(c.field());
        Map<String, String> values = new HashMap<>(c.values());
        values.remove(FRESH);
        if (f.type().isMedia() && !c.files().getOrDefault(f.name(), List.of()).isEmpty()) {
            values.put(FRESH, f.name());
        }
        return new ChatState.Collecting(c.modelId(), c.field(), values, c.files());
    }

    /**
     * Whether «Пропустить» may leave {@code f} unanswered: an optional field, but not a choice with a ✓ (its default,
     * which is pressed to be taken) nor one the price depends on: an order without it matches no price, and the
     * confirmation started the order over; the ✓ such a choice may have (its option free now) is pressed too.
     */
    static boolean skippable(Model m, InputField f) {
        return !f.required() && !(f.type().isChoice() && (f.defaultValue().filter(Catalog.choices(f)::contains)
                .isPresent() || m.priceFields().contains(f.name())));
    }

    /** Whether {@code f} has an answer in {@code values} / {@code files}. */
    static boolean answered(InputField f, Map<String, String> values, Map<String, List<String>> files) {
        return values.containsKey(f.name()) || !files.getOrDefault(f.name(), List.of()).isEmpty();
    }

    /**
     * The values without the markers of the collection itself ({@link #CAPTION}, {@link #EDITING}, {@link #FRESH},
     * {@link #ALBUM}, {@link HeldAlbum#KEY}).
     */
    static Map<String, String> plain(Map<String, String> values) {
        Map<String, String> out = new HashMap<>(values);
        out.remove(CAPTION);
        out.remove(CAPTION_MESSAGE);
        out.remove(EDITING);
        out.remove(FRESH);
        out.remove(ALBUM);
        out.remove(ALBUM_TOLD);
        out.remove(PROMPT_MESSAGE);
        out.remove(SentFiles.KEY);
        out.remove(HeldAlbum.KEY);
        return out;
    }

    /**
     * The values an order waiting for «Сгенерировать» keeps: {@link #plain}, the description's message, the messages
     * of its files ({@link SentFiles}: a file replaced by editing its message replaces the order's) and the album
     * told of (the rest of an album that made the order comes after it).
     */
    private static Map<String, String> confirmed(Map<String, String> values) {
        Map<String, String> out = plain(values);
        Optional.ofNullable(values.get(PROMPT_MESSAGE)).ifPresent(id -> out.put(PROMPT_MESSAGE, id));
        Optional.ofNullable(values.get(SentFiles.KEY)).ifPresent(sent -> out.put(SentFiles.KEY, sent));
        Optional.ofNullable(values.get(ALBUM_TOLD)).ifPresent(mark -> out.put(ALBUM_TOLD, mark));
        return out;
    }

    private static ChatState.Confirming confirming(ChatState.Collecting c, Map<String, String> values) {
        return new ChatState.Confirming(c.modelId(), values, c.files());
    }

    /** Whether {@code ed} edits the message that gave these values their description. */
    private static boolean editsPrompt(Map<String, String> values, Event.EditedText ed) {
        return Long.toString(ed.messageId()).equals(values.get(PROMPT_MESSAGE));
    }

    /** The model's description field, when {@code ed} edits the message that gave it. */
    private static Optional<InputField> promptEdited(Model m, Map<String, String> values, Event.EditedText ed) {
        return m.field(InputField.PROMPT).filter(f -> f.type() == FieldType.TEXT && editsPrompt(values, ed));
    }

    private static Map<String, String> withPrompt(Map<String, String> values, String text) {
        Map<String, String> out = new HashMap<>(values);
        out.put(InputField.PROMPT, text);
        return out;
    }

    /**
     * The message that gave the description edited while the order is being made: the description is the new text
     * (checked as a typed one), and the question asked now is asked again under the news. @return false when
     * {@code ed} edits another message
     */
    boolean editedPrompt(Turn turn, Context ctx, Model m, ChatState.Collecting c, Event.EditedText ed) {
        if (Long.toString(ed.messageId()).equals(c.values().get(CAPTION_MESSAGE))) {
            editedCaption(turn, ctx, m, c, ed);
            return true;
        }
        Optional<InputField> prompt = promptEdited(m, c.values(), ed);
        if (prompt.isEmpty()) {
            return false;
        }
        if (m.askedFields().get(c.field()).name().equals(InputField.PROMPT)) {
            // the description asked again («Назад», «Изменить»): its edit answers it as a new message would
            text(turn, ctx, m, c, ed.text(), Optional.of(ed.messageId()));
            return true;
        }
        String text = ed.text().strip();
        Optional<String> wrong = editRefused(turn, prompt.get(), text, false);
        if (wrong.isPresent()) {
            ask(turn, ctx, m, c, wrong.get());
            return true;
        }
        ask(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), withPrompt(c.values(), text), c.files()),
                t(turn, Msg.PROMPT_EDITED));
        return true;
    }

    /**
     * The message that gave the description edited while the order waits for «Сгенерировать»: the confirmation is
     * shown again with the new description (the old one's button is stale then: no job starts on a text the user
     * has corrected). @return false when {@code ed} edits another message
     */
    boolean editedPrompt(Turn turn, Context ctx, Model m, ChatState.Confirming c, Event.EditedText ed) {
        Optional<InputField> prompt = promptEdited(m, c.values(), ed);
        if (prompt.isEmpty()) {
            return false;
        }
        String text = ed.text().strip();
        Optional<String> wrong = editRefused(turn, prompt.get(), text, true);
        if (wrong.isPresent()) {
            turn.send(wrong.get(), Keyboard.NONE);
            return true;
        }
        confirm(turn, ctx, m, new ChatState.Confirming(c.modelId(), withPrompt(c.values(), text), c.files()));
        return true;
    }

    /**
     * Why the description's message edited to read {@code text} (stripped) does not change it, in full; empty when it
     * does. An edit that leaves it empty is told the description stays, and, at the confirmation, where to change it:
     * «Сообщение пустое — отправьте текст» sent a new message that answered nothing asked.
     */
    private Optional<String> editRefused(Turn turn, InputField prompt, String text, boolean confirming) {
        if (invisible(text)) {
            String empty = t(turn, Msg.PROMPT_EDIT_EMPTY);
            return Optional.of(confirming ? empty + " " + t(turn, Msg.PROMPT_CHANGE, t(turn, Msg.BUTTON_EDIT)) : empty);
        }
        return textProblem(turn, prompt, text).map(wrong -> t(turn, Msg.PROMPT_EDIT_REFUSED, wrong));
    }

    /**
     * The caption of a file whose caption is still held ({@link #CAPTION}: the photos of the field still coming)
     * edited: the caption is the new text, and becomes the description as the old one would have. Refused as an edit
     * of no description, the old caption became it all the same.
     */
    private void editedCaption(Turn turn, Context ctx, Model m, ChatState.Collecting c, Event.EditedText ed) {
        Map<String, String> values = new HashMap<>(c.values());
        if (invisible(ed.text())) {
            values.remove(CAPTION);
            values.remove(CAPTION_MESSAGE);
        } else {
            values.put(CAPTION, ed.text());
        }
        ask(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()),
                t(turn, Msg.CAPTION_EDITED));
    }

    /**
     * A message that gave a file of the order being made or waiting for «Сгенерировать» ({@code state}), edited to
     * carry another file ({@link Event.EditedMedia}): the new file takes the old one's place, checked as one sent for
     * its field, and the question asked now (or the confirmation) comes again under «Фото заменено», its earlier
     * buttons stale. Taken as an edit of its caption alone, the order kept the old photo and the user paid for what
     * he had replaced. A caption that changed with it changes what it gave ({@link #replacedCaption}).
     *
     * @return false when the message gave no file of the order, or its file is the same (its caption edited alone)
     */
    boolean replacedFile(Turn turn, Context ctx, Model m, ChatState state, Event.EditedMedia ed) {
        Map<String, String> values = state instanceof ChatState.Collecting c ? c.values()
                : ((ChatState.Confirming) state).values();
        Map<String, List<String>> files = state instanceof ChatState.Collecting c ? c.files()
                : ((ChatState.Confirming) state).files();
        Optional<SentFiles.Entry> gave = SentFiles.of(values).fromMessage(ed.messageId(), files);
        if (gave.isEmpty() || gave.get().sameFile(ed.media())) {
            return false;
        }
        String old = gave.get().fileId();
        Optional<InputField> field = m.askedFields().stream()
                .filter(f -> f.type().isMedia() && files.getOrDefault(f.name(), List.of()).contains(old)).findFirst();
        if (field.isEmpty()) {
            return false;
        }
        InputField f = field.get();
        Event.Media media = ed.media().inMessage(ed.messageId());
        Optional<String> wrong = fileProblem(turn, m, f, media);
        if (wrong.isPresent()) {
            String text = t(turn, kindOf(f, Msg.FILE_REPLACE_REFUSED_PHOTO, Msg.FILE_REPLACE_REFUSED_VIDEO,
                    Msg.FILE_REPLACE_REFUSED_AUDIO), wrong.get());
            if (state instanceof ChatState.Collecting c) {
                ask(turn, ctx, m, c, text);
            } else {
                turn.send(text, Keyboard.NONE);
            }
            return true;
        }
        List<String> replaced = new ArrayList<>(files.get(f.name()));
        replaced.set(replaced.indexOf(old), media.fileId());
        Map<String, List<String>> newFiles = new HashMap<>(files);
        newFiles.put(f.name(), replaced);
        Map<String, String> newValues = SentFiles.with(values, media, Optional.of(old), newFiles);
        String news = t(turn, kindOf(f, Msg.FILE_REPLACED_PHOTO, Msg.FILE_REPLACED_VIDEO, Msg.FILE_REPLACED_AUDIO));
        if (state instanceof ChatState.Collecting c) {
            boolean promptAsked = m.askedFields().get(c.field()).name().equals(InputField.PROMPT);
            Map.Entry<Map<String, String>, String> caption = replacedCaption(turn, m, newValues, ed, !promptAsked, false);
            ask(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), caption.getKey(), newFiles),
                    join(news, caption.getValue()));
        } else {
            Map.Entry<Map<String, String>, String> caption = replacedCaption(turn, m, newValues, ed, true, true);
            confirm(turn, ctx, m, new ChatState.Confirming(m.id(), caption.getKey(), newFiles), false,
                    join(news, caption.getValue()));
        }
        return true;
    }

    private static String join(String first, String then) {
        return then.isEmpty() ? first : first + " " + then;
    }

    /**
     * {@code values} with the caption of a message whose file was replaced ({@code ed}) taken as its edit too: the
     * description it gave ({@code prompt}: unless the description is the question asked now), or the caption held for
     * it; and what to say of it (empty when it did not change).
     */
    private Map.Entry<Map<String, String>, String> replacedCaption(Turn turn, Model m, Map<String, String> values,
                                                                   Event.EditedMedia ed, boolean prompt,
                                                                   boolean confirming) {
        Event.EditedText asText = ed.asText();
        String text = asText.text().strip();
        Optional<InputField> edited = promptEdited(m, values, asText).filter(p -> prompt);
        if (edited.isPresent() && !text.equals(values.get(InputField.PROMPT))) {
            Optional<String> wrong = editRefused(turn, edited.get(), text, confirming);
            return wrong.isPresent() ? Map.entry(values, wrong.get())
                    : Map.entry(withPrompt(values, text), t(turn, Msg.PROMPT_EDITED));
        }
        if (Long.toString(ed.messageId()).equals(values.get(CAPTION_MESSAGE))
                && !asText.text().equals(values.get(CAPTION))) {
            Map<String, String> out = new HashMap<>(values);
            if (invisible(text)) {
                out.remove(CAPTION);
                out.remove(CAPTION_MESSAGE);
            } else {
                out.put(CAPTION, asText.text());
            }
            return Map.entry(out, t(turn, Msg.CAPTION_EDITED));
        }
        return Map.entry(values, "");
    }

    /**
     * What to answer a message with a file edited that gave no file of the order waiting for «Сгенерировать» (sent
     * before it, or kept from a build that did not know the files' messages), its caption not changing the
     * description: the file in it is not taken, and how to change the order's.
     */
    String fileEditIgnored(Turn turn, Model m, Event.Media media) {
        Optional<InputField> f = m.askedFields().stream().filter(n -> n.type().isMedia() && accepts(n.type(), media))
                .findFirst().or(() -> m.askedFields().stream().filter(n -> n.type().isMedia()).findFirst());
        return f.isEmpty() ? t(turn, Msg.EDIT_IGNORED) : t(turn, Msg.FILE_EDIT_IGNORED, change(turn, f.get()));
    }

    /**
     * Whether {@code ed} changes nothing of what {@code state}'s order took from its message: the caption that gave the
     * description reads as the description does (the file alone replaced), or the message gave no text at all.
     */
    static boolean captionUnchanged(ChatState state, Event.EditedMedia ed) {
        Map<String, String> values = state instanceof ChatState.Collecting c ? c.values()
                : state instanceof ChatState.Confirming c ? c.values() : Map.of();
        String id = Long.toString(ed.messageId());
        String caption = ed.media().caption().orElse("");
        if (id.equals(values.get(PROMPT_MESSAGE))) {
            return caption.strip().equals(values.getOrDefault(InputField.PROMPT, ""));
        }
        return !id.equals(values.get(CAPTION_MESSAGE)) || caption.equals(values.get(CAPTION));
    }

    /** The message of {@code f}'s kind: a photo's, a video's or a recording's. */
    private static Msg kindOf(InputField f, Msg photo, Msg video, Msg audio) {
        return switch (f.type()) {
            case IMAGE, IMAGES -> photo;
            case VIDEO, VIDEOS -> video;
            default -> audio;
        };
    }

    private String t(Turn turn, Msg msg, Object... args) {
        return screens.t(turn.language, msg, args);
    }

    /**
     * Message {@code typed} while the chat collects the inputs of {@code m}: {@link #text}. A text long enough to be
     * the first part of a longer text ({@link LongText#mayBeFirstPart}) is remembered with where it went: a text
     * field's answer (the field, or refused for it), so that the next part is taken with it ({@link #continued}); for
     * a field it cannot answer (a file, a choice, a number asked again with the reason), as answered by that, so that
     * the next part is neither asked again for nor taken as the answer.
     */
    void typed(Turn turn, Context ctx, Model m, ChatState.Collecting c, Event.Text typed) {
        InputField f = m.askedFields().get(c.field());
        boolean taken = text(turn, ctx, m, c, typed.text(), typed.messageId());
        if (f.type() == FieldType.TEXT) {
            LongText.first(typed, taken ? LongText.Use.FIELD : LongText.Use.FIELD_REFUSED, f.name(),
                    TypedLength.of(typed.text().strip()).seen()).ifPresent(turn::remember);
        } else if (taken && f.type().isMedia()) {
            // the description, typed where the file is asked ({@link #textForFile}): its next part is joined to it
            LongText.first(typed, LongText.Use.FIELD, InputField.PROMPT, TypedLength.of(typed.text().strip()).seen())
                    .ifPresent(turn::remember);
        } else if (!taken) {
            LongText.notAsked(typed).ifPresent(turn::remember);
        }
    }

    /**
     * The next part ({@code tail}) of a long text that went to a text field of {@code m} ({@code before}), while the
     * order is still being made or waits for «Сгенерировать» ({@code state}). A part the field took gets the tail
     * appended, and the field's limit is checked on the whole: within it, the question asked now (or the confirmation)
     * comes again under the news, its earlier buttons stale, so no order starts on the text cut short; past it, the
     * field is asked again with the reason, the cut text gone from the order. A part the field refused (too long
     * already) refuses the tail too, with the length of the whole, and the field is asked again. The description
     * joined is no one message's: an edit of one of its parts changes nothing and is told so.
     *
     * @return false when the order is no longer where the text went (the field answered anew, the model changed)
     */
    boolean continued(Turn turn, Context ctx, Model m, ChatState state, LongText before, Event.Text tail) {
        Optional<Integer> at = fieldIndex(m, before.name());
        if (at.isEmpty()) {
            return false;
        }
        InputField f = m.askedFields().get(at.get());
        String added = tail.text().strip();
        if (before.use() == LongText.Use.FIELD_REFUSED) {
            if (!(state instanceof ChatState.Collecting c) || c.field() != at.get()) {
                return false;
            }
            int total = before.total() + TypedLength.of(added).seen();
            ask(turn, ctx, m, c, t(turn, Msg.LONG_TOO_LONG, total, InputScreens.textLimit(f)));
            rememberNext(turn, before, tail, LongText.Use.FIELD_REFUSED, total);
            return true;
        }
        Map<String, String> values = state instanceof ChatState.Collecting c ? c.values()
                : ((ChatState.Confirming) state).values();
        Map<String, List<String>> files = state instanceof ChatState.Collecting c ? c.files()
                : ((ChatState.Confirming) state).files();
        if (before.use() != LongText.Use.FIELD || !values.containsKey(f.name())
                || (state instanceof ChatState.Collecting c && c.field() == at.get())) {
            return false;
        }
        String joined = before.join(values.get(f.name()), added);
        Map<String, String> without = new HashMap<>(values);
        without.remove(f.name());
        if (f.name().equals(InputField.PROMPT)) {
            without.remove(PROMPT_MESSAGE);
        }
        Optional<String> wrong = textProblem(turn, f, joined);
        if (wrong.isPresent()) {
            // the description typed where a file is asked: that file stays asked (the questions after the one asked
            // are never gone back from), the description to be given anew there or at its own question
            int ask = state instanceof ChatState.Collecting c && c.field() < at.get() ? c.field() : at.get();
            ask(turn, ctx, m, new ChatState.Collecting(m.id(), ask, without, files),
                    t(turn, Msg.LONG_JOINED) + " " + wrong.get());
            rememberNext(turn, before, tail, LongText.Use.FIELD_REFUSED, TypedLength.of(joined).seen());
            return true;
        }
        Map<String, String> with = new HashMap<>(without);
        with.put(f.name(), joined);
        if (state instanceof ChatState.Collecting c) {
            ask(turn, ctx, m, new ChatState.Collecting(m.id(), c.field(), with, files), t(turn, Msg.LONG_JOINED));
        } else {
            confirm(turn, ctx, m, new ChatState.Confirming(m.id(), with, files), false, t(turn, Msg.LONG_JOINED));
        }
        rememberNext(turn, before, tail, LongText.Use.FIELD, TypedLength.of(joined).seen());
        return true;
    }

    /** The part just taken, remembered when it may be followed by one more (a text of three messages). */
    private static void rememberNext(Turn turn, LongText before, Event.Text tail, LongText.Use use, int total) {
        if (LongText.mayBeFirstPart(tail.text())) {
            turn.remember(before.then(tail.messageId().orElseThrow(), tail.sentAt().orElseThrow(), tail.text(), use,
                    total));
        }
    }

    /** Where field {@code name} is among the fields {@code m} asks. */
    private static Optional<Integer> fieldIndex(Model m, String name) {
        for (int i = 0; i < m.askedFields().size(); i++) {
            InputField f = m.askedFields().get(i);
            if (f.name().equals(name) && f.type() == FieldType.TEXT) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /**
     * Text sent while the chat collects the inputs of {@code m}.
     *
     * @param message the message it came in, when known: the one answering the description is remembered, so that an
     *                edit of it changes the description ({@link #editedPrompt})
     * @return whether it answered the field; false when the field is asked again with the reason
     */
    boolean text(Turn turn, Context ctx, Model m, ChatState.Collecting c, String raw, Optional<Long> message) {
        InputField f = m.askedFields().get(c.field());
        if (f.name().equals(InputField.PROMPT)) {
            Map<String, String> values = new HashMap<>(c.values());
            message.ifPresentOrElse(id -> values.put(PROMPT_MESSAGE, Long.toString(id)),
                    () -> values.remove(PROMPT_MESSAGE));
            c = new ChatState.Collecting(c.modelId(), c.field(), values, c.files());
        }
        String text = raw.strip();
        if (f.type().isMedia()) {
            return textForFile(turn, ctx, m, c, f, text, message);
        }
        if (f.type() == FieldType.TEXT) {
            if (describedAlbum(turn, ctx, m, c, f, text)) {
                return true;
            }
            Optional<String> wrong = textProblem(turn, f, text);
            if (wrong.isPresent()) {
                ask(turn, ctx, m, c, wrong.get());
                return false;
            }
            advance(turn, ctx, m, c, f, text);
            return true;
        }
        if (f.type().isChoice()) {
            Optional<String> match = choice(turn, f, text);
            if (match.isPresent()) {
                advance(turn, ctx, m, c, f, match.get());
                return true;
            }
            ask(turn, ctx, m, c, t(turn, Msg.INPUT_NOT_ALLOWED, Snippet.of(text, 40)));
            return false;
        }
        // NUMBER or INTEGER
        try {
            if (!PLAIN_NUMBER.matcher(text).matches()) {
                throw new NumberFormatException("not a plain number");
            }
            BigDecimal v = new BigDecimal(text.replace(',', '.'));
            if (f.type() == FieldType.INTEGER && v.stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException("not an integer");
            }
            boolean low = f.min().map(min -> v.compareTo(min) < 0).orElse(false);
            boolean high = f.max().map(max -> v.compareTo(max) > 0).orElse(false);
            if (low || high) {
                ask(turn, ctx, m, c, outOfRange(turn, f));
                return false;
            }
            advance(turn, ctx, m, c, f, v.toPlainString());
            return true;
        } catch (NumberFormatException ex) {
            ask(turn, ctx, m, c, t(turn, Msg.INPUT_NOT_A_NUMBER));
            return false;
        }
    }

    /** The option of choice field {@code f} that {@code text} names, by its value or by its button's label. */
    private Optional<String> choice(Turn turn, InputField f, String text) {
        return Catalog.choices(f).stream().filter(v -> v.equalsIgnoreCase(text)
                || questions.optionLabel(turn.language, f, v).equalsIgnoreCase(text)).findFirst();
    }

    /** The first question of a new order of {@code m}, nothing answered yet: where «▶️ Начать» begins. */
    static ChatState.Collecting first(Model m) {
        return new ChatState.Collecting(m.id(), 0, Map.of(), Map.of());
    }

    /**
     * A text sent on the card of {@code m}: the order begins with it, as if «▶️ Начать» had been pressed and the
     * text typed at the first question ({@link #typed}): the description, where the model asks it first; where a photo
     * comes first, the description given before it ({@link #textForFile}). A first question that a text does not
     * answer (an option not among its buttons, a number) keeps it as the description when the model asks one later,
     * and comes under the news; with no description to keep it as, the question says what it wants.
     */
    void typedOnCard(Turn turn, Context ctx, Model m, Event.Text typed) {
        ChatState.Collecting first = first(m);
        InputField f = m.askedFields().get(0);
        String text = typed.text().strip();
        boolean answers = switch (f.type()) {
            case ENUM, INT_ENUM, BOOLEAN -> choice(turn, f, text).isPresent();
            case NUMBER, INTEGER -> PLAIN_NUMBER.matcher(text).matches();
            case TEXT, IMAGE, IMAGES, AUDIO, VIDEO, VIDEOS -> true;
        };
        Optional<InputField> prompt = m.askedFields().stream()
                .filter(p -> p.name().equals(InputField.PROMPT) && p.type() == FieldType.TEXT).findFirst();
        if (answers || prompt.isEmpty()) {
            typed(turn, ctx, m, first, typed);
            return;
        }
        Optional<String> wrong = textProblem(turn, prompt.get(), text);
        if (wrong.isPresent()) {
            ask(turn, ctx, m, first, wrong.get());
            return;
        }
        Map<String, String> values = withPrompt(Map.of(), text);
        typed.messageId().ifPresent(id -> values.put(PROMPT_MESSAGE, Long.toString(id)));
        ask(turn, ctx, m, new ChatState.Collecting(m.id(), 0, values, Map.of()), t(turn, Msg.INPUT_PROMPT_KEPT));
        LongText.first(typed, LongText.Use.FIELD, InputField.PROMPT, TypedLength.of(text).seen())
                .ifPresent(turn::remember);
    }

    /**
     * Text where a file is asked: some 35 models ask for the photo first, and typing what to do with it first is only
     * natural. While the model's description is not given yet, the text is it (checked as one typed at its own
     * question, as a photo's caption is kept), and the file is asked for again under the news; the description's
     * question is passed over when its turn comes. Otherwise the user learns what is wanted, in his terms («фото», not
     * «файл»). @return whether the text was taken
     */
    private boolean textForFile(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField f, String text,
                                Optional<Long> message) {
        Optional<InputField> prompt = m.askedFields().stream()
                .filter(p -> p.name().equals(InputField.PROMPT) && p.type() == FieldType.TEXT).findFirst();
        if (prompt.isEmpty() || c.values().containsKey(InputField.PROMPT) || c.values().containsKey(EDITING)) {
            ask(turn, ctx, m, c, wanted(turn, f));
            return false;
        }
        Optional<String> wrong = textProblem(turn, prompt.get(), text);
        if (wrong.isPresent()) {
            ask(turn, ctx, m, c, wrong.get());
            return false;
        }
        Map<String, String> values = withPrompt(c.values(), text);
        message.ifPresentOrElse(id -> values.put(PROMPT_MESSAGE, Long.toString(id)),
                () -> values.remove(PROMPT_MESSAGE));
        ask(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()), t(turn, switch (f.type()) {
            case AUDIO -> Msg.INPUT_PROMPT_KEPT_AUDIO;
            case VIDEO, VIDEOS -> Msg.INPUT_PROMPT_KEPT_VIDEO;
            default -> Msg.INPUT_PROMPT_KEPT_PHOTO;
        }));
        return true;
    }

    /** Why {@code text} (stripped) cannot answer text field {@code f}; empty when it can. */
    private Optional<String> textProblem(Turn turn, InputField f, String text) {
        int limit = InputScreens.textLimit(f);
        TypedLength length = TypedLength.of(text);
        if (invisible(text)) {
            return Optional.of(t(turn, Msg.INPUT_EMPTY));
        }
        if (length.seen() > limit) {
            // told in characters as the user sees them: a family emoji is one, not the five the model counts
            return Optional.of(t(turn, Msg.INPUT_TOO_LONG, length.seen(), limit));
        }
        if (length.counted() > limit) {
            // short enough to the eye, too long for the model: its limit stands, and the user learns why
            return Optional.of(t(turn, Msg.INPUT_TOO_LONG_EMOJI, length.seen(), length.counted(), limit));
        }
        return Optional.empty();
    }

    /**
     * Code points that show nothing on their own yet are letters or symbols to {@link String#strip}: the Hangul fillers
     * (U+3164 «ㅤ», the favourite «empty» text), the braille blank, the Mongolian vowel separator, the combining
     * grapheme joiner. A description of them alone was a paid job on an empty prompt.
     */
    private static final Set<Integer> BLANK_LOOKING = Set.of(0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x180E, 0x034F,
            0x17B4, 0x17B5);

    /**
     * Whether {@code text} shows nothing: empty, or only spaces of any kind, format characters (zero-width space and
     * joiners, soft hyphen, byte order mark, direction marks), control characters, marks with nothing to sit on
     * (variation selectors) and {@link #BLANK_LOOKING} ones. Such a text is answered as an empty one.
     */
    static boolean invisible(String text) {
        return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                || BLANK_LOOKING.contains(cp) || switch (Character.getType(cp)) {
                    case Character.FORMAT, Character.CONTROL, Character.NON_SPACING_MARK -> true;
                    default -> false;
                });
    }

    /** «от 0 до 1», or the one bound a field has: «не меньше 1» rather than «от 1 до ∞». */
    private String outOfRange(Turn turn, InputField f) {
        Optional<String> min = InputScreens.bound(turn.language, f.min());
        Optional<String> max = InputScreens.bound(turn.language, f.max());
        if (min.isPresent() && max.isPresent()) {
            return t(turn, Msg.INPUT_OUT_OF_RANGE, min.get(), max.get());
        }
        return min.isPresent() ? t(turn, Msg.INPUT_AT_LEAST, min.get()) : t(turn, Msg.INPUT_AT_MOST, max.orElse(""));
    }

    /**
     * The formats of a picture sent as a file that Kie's image models take (JPEG, PNG, WEBP): an iPhone's HEIC, a TIFF
     * or a BMP was taken for a photo and failed at Kie after the money was held. A photo sent as a photo is always a
     * JPEG (Telegram converts it).
     */
    private static final Set<String> IMAGE_FORMATS = Set.of("image/jpeg", "image/jpg", "image/png", "image/webp");

    private static boolean accepts(FieldType type, Event.Media media) {
        String mime = media.mimeType().orElse("").toLowerCase(Locale.ROOT);
        return switch (type) {
            case IMAGE, IMAGES -> media.type() == MediaType.PHOTO
                    || (media.type() == MediaType.DOCUMENT && IMAGE_FORMATS.contains(mime));
            case AUDIO -> media.type() == MediaType.AUDIO || media.type() == MediaType.VOICE
                    || (media.type() == MediaType.DOCUMENT && mime.startsWith("audio/"));
            case VIDEO, VIDEOS -> media.type() == MediaType.VIDEO || media.type() == MediaType.VIDEO_NOTE
                    || media.type() == MediaType.ANIMATION
                    || (media.type() == MediaType.DOCUMENT && mime.startsWith("video/"));
            default -> false;
        };
    }

    /**
     * Whether {@code m} takes files of {@code media}'s kind in any of its fields: a photo or a picture where it takes
     * photos (one of another format too: it is told how to send it), a clip where it takes clips. A PDF is no model's.
     */
    static boolean takesKind(Model m, Event.Media media) {
        return m.askedFields().stream().anyMatch(f -> f.type().isMedia() && accepts(f.type(), media))
                || imageOfAnotherFormat(m, media);
    }

    /** A picture sent as a file in a format no image model takes, for a model that takes pictures. */
    private static boolean imageOfAnotherFormat(Model m, Event.Media media) {
        return media.type() == MediaType.DOCUMENT
                && media.mimeType().orElse("").toLowerCase(Locale.ROOT).startsWith("image/")
                && !accepts(FieldType.IMAGE, media)
                && m.askedFields().stream().anyMatch(f -> f.type() == FieldType.IMAGE || f.type() == FieldType.IMAGES);
    }

    /** A file sent while the chat collects the inputs of {@code m}. */
    void file(Turn turn, Context ctx, Model m, ChatState.Collecting c, Event.Media media) {
        InputField f = m.askedFields().get(c.field());
        Optional<InputField> albumsField = albumsField(m, c, media);
        if (albumsField.isPresent()) {
            if (!albumsCaption(turn, ctx, m, c, albumsField.get(), media)) {
                refuse(turn, ctx, m, c, media, "extra", extra(turn, albumsField.get(), media));
            }
            return;
        }
        if (!f.type().isMedia()) {
            Optional<InputField> full = filledBefore(m, c, media);
            if (full.isPresent()) {
                refuse(turn, ctx, m, c, media, "extra", extra(turn, full.get(), media));
            } else if (f.type() == FieldType.TEXT) {
                fileForText(turn, ctx, m, c, f, media);
            } else {
                refuse(turn, ctx, m, c, media, "wanted", wanted(turn, f));
            }
            return;
        }
        if (imageOfAnotherFormat(m, media) && (f.type() == FieldType.IMAGE || f.type() == FieldType.IMAGES)) {
            // a HEIC from an iPhone: «a photo is needed» would puzzle whoever sent a picture; he learns how to send it
            refuse(turn, ctx, m, c, media, "format", t(turn, Msg.INPUT_IMAGE_FORMAT));
            return;
        }
        if (!accepts(f.type(), media)) {
            // a video note or a sticker where a photo is asked: «such messages are not taken» told nothing of what is
            refuse(turn, ctx, m, c, media, "wanted", wanted(turn, f));
            return;
        }
        Optional<String> measured = sizeOrLength(turn, f, media);
        if (measured.isPresent()) {
            ask(turn, ctx, m, c, measured.get());
            return;
        }
        // the files given before (a change, «Назад»): the first new one replaces them
        boolean fresh = f.name().equals(c.values().get(FRESH));
        List<String> have = fresh ? new ArrayList<>() : new ArrayList<>(c.files().getOrDefault(f.name(), List.of()));
        if (SentFiles.of(c.values()).sentAgain(media, have)) {
            // the same photo twice (sent again, forwarded back) is one photo: counted twice, it took a place of the
            // field's and went to the model twice
            refuse(turn, ctx, m, c, media, "same",
                    t(turn, kindOf(f, Msg.INPUT_SAME_PHOTO, Msg.INPUT_SAME_VIDEO, Msg.INPUT_SAME_AUDIO)));
            return;
        }
        if (have.size() >= f.fileLimit()) {
            refuse(turn, ctx, m, c, media, "extra", enough(turn, f));
            return;
        }
        have.add(media.fileId());
        Map<String, List<String>> files = new HashMap<>(c.files());
        files.put(f.name(), have);
        Map<String, String> values = SentFiles.with(c.values(), media, Optional.empty(), files);
        values.remove(FRESH);
        media.caption().filter(text -> !invisible(text)).ifPresent(text -> {
            values.put(CAPTION, text);
            media.messageId().ifPresentOrElse(id -> values.put(CAPTION_MESSAGE, Long.toString(id)),
                    () -> values.remove(CAPTION_MESSAGE));
        });
        media.album().ifPresentOrElse(album -> values.put(ALBUM, f.name() + "|" + album), () -> values.remove(ALBUM));
        ChatState.Collecting withFile = new ChatState.Collecting(c.modelId(), c.field(), values, files);
        if (f.type().isArray() && have.size() < f.fileLimit()) {
            gotFile(turn, ctx, m, withFile);
        } else {
            next(turn, ctx, m, withFile);
        }
    }

    /**
     * Why {@code media} cannot be a file of field {@code f}, in the words its question is asked again with; empty when
     * it can: a picture of a format the model does not take, a file of another kind, one too large to download, a
     * clip of no length told or longer than the field takes.
     */
    private Optional<String> fileProblem(Turn turn, Model m, InputField f, Event.Media media) {
        if (imageOfAnotherFormat(m, media) && (f.type() == FieldType.IMAGE || f.type() == FieldType.IMAGES)) {
            return Optional.of(t(turn, Msg.INPUT_IMAGE_FORMAT));
        }
        if (!accepts(f.type(), media)) {
            return Optional.of(wanted(turn, f));
        }
        return sizeOrLength(turn, f, media);
    }

    /** Why {@code media}, of a kind field {@code f} takes, is refused for its size or its length; empty when not. */
    private Optional<String> sizeOrLength(Turn turn, InputField f, Event.Media media) {
        if (media.size() > downloadBytesMax) {
            return Optional.of(t(turn, Msg.INPUT_FILE_TOO_LARGE, megabytes(downloadBytesMax, turn.language)));
        }
        if (f.maxBytes().isPresent() && media.size() > f.maxBytes().getAsLong()) {
            // the provider's own limit for the field, below the messenger's: taken, the paid job failed every time
            return Optional.of(t(turn, Msg.INPUT_FILE_TOO_LARGE_FOR_MODEL,
                    megabytes(f.maxBytes().getAsLong(), turn.language)));
        }
        boolean clip = f.type() == FieldType.AUDIO || f.type() == FieldType.VIDEO || f.type() == FieldType.VIDEOS;
        if (clip && f.maxLength().isPresent()) {
            int max = f.maxLength().getAsInt();
            if (f.type() == FieldType.AUDIO && !MeasurableAudio.claims(media)) {
                return Optional.of(t(turn, Msg.INPUT_CLIP_FORMAT));
            }
            if (media.seconds() <= 0) {
                return Optional.of(t(turn, Msg.INPUT_CLIP_UNKNOWN, max));
            }
            if (media.seconds() > max) {
                return Optional.of(t(turn, Msg.INPUT_CLIP_TOO_LONG, media.seconds(), max));
            }
        }
        return Optional.empty();
    }

    /**
     * A file where a text (the description) is asked. A photo with its caption is how people send «this photo, like
     * that» in one go: the caption answers the text, and the photo goes to the field asked next when that one takes it
     * (the photo's own checks, and an album's other files, as if it had been asked). A model taking no such file
     * still gets its description, and the user learns the file is not used; without a caption the user is told the
     * description comes first, in words.
     */
    private void fileForText(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField f, Event.Media media) {
        if (imageOfAnotherFormat(m, media)) {
            // nothing of it is taken, its caption neither: sent again as a photo with the caption, it answers both
            refuse(turn, ctx, m, c, media, "format", t(turn, Msg.INPUT_IMAGE_FORMAT));
            return;
        }
        Optional<InputField> takes = nextUnanswered(m, c).filter(n -> n.type().isMedia() && accepts(n.type(), media));
        boolean captioned = media.caption().filter(text -> !invisible(text)).isPresent();
        Optional<HeldAlbum> held = HeldAlbum.of(c.values(), ctx.now());
        if (!captioned && takes.isPresent() && media.album().isPresent() && !c.values().containsKey(EDITING)
                && held.map(h -> h.takes(media) || !h.album().equals(media.album().get())).orElse(true)) {
            hold(turn, ctx, m, c, held.filter(h -> h.takes(media)), media);
            return;
        }
        if (captioned && takes.isPresent() && held.filter(h -> media.album().equals(Optional.of(h.album())))
                .isPresent()) {
            described(turn, ctx, m, c, f, held.get(), media);
            return;
        }
        if (!captioned) {
            // a sticker or a voice message is no «file» to the user: he is told what is wanted, in his terms; a text
            // that is no description (the words a voice model speaks) is not called one
            boolean described = f.name().equals(InputField.PROMPT);
            Msg why = takes.isPresent() ? Msg.INPUT_TEXT_FIRST
                    : media.type() == MediaType.VOICE
                            ? described ? Msg.NEED_TEXT_NOT_VOICE : Msg.NEED_TEXT_FIELD_NOT_VOICE
                    : !described ? Msg.NEED_TEXT_FIELD
                    : accepts(FieldType.IMAGE, media) ? Msg.INPUT_TEXT_ONLY
                    : Msg.NEED_TEXT;
            refuse(turn, ctx, m, c, media, why.name(), t(turn, why));
            return;
        }
        String caption = media.caption().get().strip();
        Optional<String> wrong = textProblem(turn, f, caption);
        if (wrong.isPresent()) {
            ask(turn, ctx, m, c, wrong.get());
            return;
        }
        Map<String, String> values = new HashMap<>(c.values());
        values.put(f.name(), caption);
        if (f.name().equals(InputField.PROMPT)) {
            // the description is the caption now: an edit of the typed one changes nothing, an edit of the caption does
            media.messageId().ifPresentOrElse(id -> values.put(PROMPT_MESSAGE, Long.toString(id)),
                    () -> values.remove(PROMPT_MESSAGE));
        }
        if (takes.isPresent() && !values.containsKey(EDITING)) {
            int at = m.askedFields().indexOf(takes.get());
            file(turn, ctx, m, new ChatState.Collecting(c.modelId(), at, values, c.files()), media.withCaption(""));
            return;
        }
        boolean anyTakes = m.askedFields().stream().anyMatch(n -> n.type().isMedia() && accepts(n.type(), media));
        turn.send(t(turn, anyTakes ? Msg.INPUT_FILE_NOT_USED : Msg.INPUT_MODEL_TAKES_NO_FILE), Keyboard.NONE);
        next(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()));
    }

    /**
     * A file of an album without a caption where the description is asked first: held till the description comes
     * ({@link HeldAlbum}), the album's caption on a later file or a text typed. The album's first held says so above
     * the question, once; its other files come without a word.
     */
    private void hold(Turn turn, Context ctx, Model m, ChatState.Collecting c, Optional<HeldAlbum> held,
                      Event.Media media) {
        ChatState.Collecting kept = new ChatState.Collecting(c.modelId(), c.field(),
                HeldAlbum.with(c.values(), held, media, ctx.now()), c.files());
        if (held.isPresent()) {
            turn.stay(kept);
        } else {
            ask(turn, ctx, m, kept, t(turn, Msg.INPUT_ALBUM_HELD, HeldAlbum.FOR.toMinutes()));
        }
    }

    /**
     * The album's caption came on a later file than those held ({@code media}): it is the description, and the held
     * files go into the order before this one, in the order sent, as they would have with the caption on the first.
     */
    private void described(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField f, HeldAlbum held,
                           Event.Media media) {
        String caption = media.caption().orElseThrow().strip();
        Optional<String> wrong = textProblem(turn, f, caption);
        if (wrong.isPresent()) {
            ask(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), HeldAlbum.without(c.values()),
                    c.files()), wrong.get());
            return;
        }
        Map<String, String> values = HeldAlbum.without(c.values());
        values.put(f.name(), caption);
        if (f.name().equals(InputField.PROMPT)) {
            media.messageId().ifPresentOrElse(id -> values.put(PROMPT_MESSAGE, Long.toString(id)),
                    () -> values.remove(PROMPT_MESSAGE));
        }
        List<Event.Media> files = new ArrayList<>(held.files());
        files.add(media.withCaption(""));
        release(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()), files);
    }

    /**
     * The description just given ({@code described}: answered, the chat still at its question): the album's files held
     * go into the order, the first to the field after it that takes it, the others as if each came now (a full field
     * refuses the rest as one album's, said once), answered by one screen: the count of them taken, or what comes
     * after them.
     */
    private void release(Turn turn, Context ctx, Model m, ChatState.Collecting described, List<Event.Media> files) {
        Optional<InputField> takes = nextUnanswered(m, described)
                .filter(n -> n.type().isMedia() && accepts(n.type(), files.get(0)));
        if (takes.isEmpty()) {
            next(turn, ctx, m, described); // the album's field answered meanwhile: the description alone is news
            return;
        }
        int at = m.askedFields().indexOf(takes.get());
        file(turn, ctx, m, new ChatState.Collecting(described.modelId(), at, described.values(), described.files()),
                files.get(0));
        for (Event.Media next : files.subList(1, files.size())) {
            if (turn.state() instanceof ChatState.Collecting now && now.modelId().equals(m.id())) {
                file(turn, ctx, m, now, next);
            } else if (turn.state() instanceof ChatState.Confirming now && now.modelId().equals(m.id())) {
                fileAtConfirmation(turn, m, now, next);
            }
        }
        // one count for the album, the last: «Принято: 1 фото», «Принято: 2 фото»… came one per file held, and none
        // when the question after them or the confirmation came under it. Still at the field, the count stays
        // whatever came after it: a refusal of the album's own last file (too big, a duplicate) hid the files taken
        boolean stillAtTheField = turn.state() instanceof ChatState.Collecting now && now.modelId().equals(m.id())
                && now.field() == at;
        if (!stillAtTheField) {
            turn.dropStaleTally();
        }
    }

    /**
     * The description typed while an album's files are held ({@link HeldAlbum}): it answers the question, and the
     * files go into the order. @return false when no album is held, or the text is no description: answered as any
     */
    private boolean describedAlbum(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField f,
                                   String text) {
        Optional<HeldAlbum> held = HeldAlbum.of(c.values(), ctx.now());
        if (held.isEmpty() || !f.name().equals(InputField.PROMPT) || textProblem(turn, f, text).isPresent()) {
            return false;
        }
        Map<String, String> values = HeldAlbum.without(c.values());
        values.put(f.name(), text);
        release(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()), held.get().files());
        return true;
    }

    /** What field {@code f} takes, in the user's words («Нужно фото: …»): the answer to anything else sent for it. */
    String wanted(Turn turn, InputField f) {
        return t(turn, switch (f.type()) {
            case TEXT -> f.name().equals(InputField.PROMPT) ? Msg.NEED_TEXT : Msg.NEED_TEXT_FIELD;
            case ENUM, INT_ENUM, BOOLEAN -> Msg.EXPECTED_BUTTON;
            case NUMBER, INTEGER -> Msg.NEED_NUMBER;
            case IMAGE, IMAGES -> Msg.NEED_PHOTO;
            case AUDIO -> Msg.NEED_AUDIO;
            case VIDEO, VIDEOS -> Msg.NEED_VIDEO;
        });
    }

    /** The first field after the one asked that has no answer yet, the one {@link #next} would ask. */
    private static Optional<InputField> nextUnanswered(Model m, ChatState.Collecting c) {
        for (int i = c.field() + 1; i < m.askedFields().size(); i++) {
            InputField f = m.askedFields().get(i);
            if (!answered(f, c.values(), c.files())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The field an earlier file of {@code media}'s album went to, when it is not the one asked any more: the album was
     * meant for that field (one photo asked, three sent at once), and its other files are not the answers to the
     * questions after it.
     */
    private static Optional<InputField> albumsField(Model m, ChatState.Collecting c, Event.Media media) {
        String mark = c.values().get(ALBUM);
        if (mark == null || media.album().isEmpty()) {
            return Optional.empty();
        }
        int bar = mark.lastIndexOf('|');
        String field = mark.substring(0, bar);
        if (!mark.substring(bar + 1).equals(media.album().get()) || field.equals(m.askedFields().get(c.field()).name())) {
            return Optional.empty();
        }
        return m.askedFields().stream().filter(f -> f.name().equals(field)).findFirst();
    }

    /**
     * The caption of an album's file past what its field took, where the description is still to come: Telegram puts
     * an album's caption on whichever file the user captioned, the second as well as the first. It is the description,
     * as it is on the album's first file (the file itself left out, said once per album): asked now, it answers it
     * ({@link #text}); asked after the question asked now, it is kept for it ({@link #captionForLater}). Before, the
     * file was refused whole, its caption with it, and the description he had written asked again.
     *
     * @return false when it has no caption to take so (none, or the description answered already, or a field being
     * changed): the file is refused as before
     */
    private boolean albumsCaption(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField albums,
                                  Event.Media media) {
        Optional<String> caption = media.caption().filter(text -> !invisible(text));
        if (caption.isEmpty() || c.values().containsKey(EDITING)) {
            return false;
        }
        InputField asked = m.askedFields().get(c.field());
        boolean describesNow = asked.name().equals(InputField.PROMPT) && asked.type() == FieldType.TEXT
                && !c.values().containsKey(asked.name());
        Optional<InputField> later = describesNow ? Optional.empty() : promptAfter(m, c.field(), c.values());
        if (!describesNow && later.isEmpty()) {
            return false;
        }
        Map<String, String> values = new HashMap<>(c.values());
        Optional<String> mark = albumMark(media, "extra");
        if (!albumTold(mark, c.values())) {
            mark.ifPresent(told -> values.put(ALBUM_TOLD, told));
            turn.send(extra(turn, albums, media), Keyboard.NONE);
        }
        ChatState.Collecting told = new ChatState.Collecting(c.modelId(), c.field(), values, c.files());
        if (describesNow) {
            text(turn, ctx, m, told, caption.get(), media.messageId());
        } else {
            captionForLater(turn, ctx, m, told, later.get(), caption.get(), media.messageId());
        }
        return true;
    }

    /**
     * The media field before the one asked, when it is full and would have taken {@code media}: the file is one more
     * than it takes (an album of five for three photos; the field moved on at the third), not one sent by mistake.
     */
    private static Optional<InputField> filledBefore(Model m, ChatState.Collecting c, Event.Media media) {
        for (int i = c.field() - 1; i >= 0; i--) {
            InputField before = m.askedFields().get(i);
            if (before.type().isMedia()) {
                boolean full = c.files().getOrDefault(before.name(), List.of()).size() >= before.fileLimit();
                return full && accepts(before.type(), media) ? Optional.of(before) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * A file while the order waits for «Сгенерировать» (the rest of an album of several photos for a model taking one,
     * or one more sent after): the order stays as it is, its buttons good, and the user learns the file is not in it
     * and how to change the one that is.
     */
    void fileAtConfirmation(Turn turn, Model m, ChatState.Confirming c, Event.Media media) {
        Optional<InputField> full = m.askedFields().stream()
                .filter(f -> f.type().isMedia() && accepts(f.type(), media)).reduce((first, last) -> last);
        String why;
        String text;
        if (imageOfAnotherFormat(m, media)) {
            why = "format";
            text = t(turn, Msg.INPUT_IMAGE_FORMAT) + " " + change(turn, m.askedFields().stream()
                    .filter(f -> f.type() == FieldType.IMAGE || f.type() == FieldType.IMAGES).findFirst().orElseThrow());
        } else if (full.isPresent()) {
            why = "extra";
            text = extra(turn, full.get(), media) + " " + change(turn, full.get());
        } else {
            why = "wanted";
            // the confirmation's buttons named: «choose with the buttons» came with none
            text = t(turn, Msg.CONFIRM_TYPED, t(turn, Msg.BUTTON_EDIT));
        }
        Optional<String> mark = albumMark(media, why);
        if (albumTold(mark, c.values())) {
            return; // the album's first file of these was answered: the order and its buttons stand as they are
        }
        turn.send(text, Keyboard.NONE);
        mark.ifPresent(told -> {
            Map<String, String> values = new HashMap<>(c.values());
            values.put(ALBUM_TOLD, told);
            turn.stay(new ChatState.Confirming(c.modelId(), values, c.files()));
        });
    }

    /** What marks a refusal ({@code why}) of an album's file as answered; empty for a file of no album. */
    private static Optional<String> albumMark(Event.Media media, String why) {
        return media.album().map(album -> album + "|" + why);
    }

    /** Whether the album's first file refused for the same reason ({@code mark}) was answered already. */
    private static boolean albumTold(Optional<String> mark, Map<String, String> values) {
        return mark.isPresent() && mark.get().equals(values.get(ALBUM_TOLD));
    }

    /**
     * A file {@code media} refused where {@code c} asks ({@code why}, {@code text}): the question again under the
     * reason, once per album. The album's other files refused for the same reason are let go without a word: ten
     * photos where one is taken were nine answers, each with the question again.
     */
    private void refuse(Turn turn, Context ctx, Model m, ChatState.Collecting c, Event.Media media, String why,
                        String text) {
        Optional<String> mark = albumMark(media, why);
        if (albumTold(mark, c.values())) {
            return;
        }
        Map<String, String> values = new HashMap<>(c.values());
        mark.ifPresent(told -> values.put(ALBUM_TOLD, told));
        ask(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()), text);
    }

    /**
     * That {@code media}, one more than field {@code f} takes, is not in the order: «Это фото не добавлено: модель
     * принимает только одно фото», or for an album, whose first file past the limit is the one answered, «Остальные
     * фото из альбома не добавлены…». In the field's words (фото, видео, запись), not «файл».
     */
    private String extra(Turn turn, InputField f, Event.Media media) {
        boolean album = media.album().isPresent();
        return switch (f.type()) {
            case IMAGE, IMAGES -> t(turn, album ? Msg.INPUT_PHOTOS_EXTRA : Msg.INPUT_PHOTO_EXTRA, f.fileLimit() == 1
                    ? t(turn, Msg.INPUT_ONE_PHOTO) : t(turn, Msg.INPUT_SOME_PHOTOS, f.fileLimit()));
            case VIDEO, VIDEOS -> t(turn, album ? Msg.INPUT_VIDEOS_EXTRA : Msg.INPUT_VIDEO_EXTRA, f.fileLimit() == 1
                    ? t(turn, Msg.INPUT_ONE_VIDEO) : t(turn, Msg.INPUT_SOME_VIDEOS, f.fileLimit()));
            default -> t(turn, album ? Msg.INPUT_AUDIOS_EXTRA : Msg.INPUT_AUDIO_EXTRA);
        };
    }

    /**
     * That field {@code f}, still asked, has all the files it takes: «Фото уже достаточно: модель принимает не больше
     * 3 фото», in the field's words (фото, видео, запись), not «файлов», and «Готово» to press when it has that button.
     */
    private String enough(Turn turn, InputField f) {
        String text = switch (f.type()) {
            case IMAGE, IMAGES -> t(turn, Msg.INPUT_ENOUGH_PHOTOS, f.fileLimit() == 1
                    ? t(turn, Msg.INPUT_ONE_PHOTO) : t(turn, Msg.INPUT_SOME_PHOTOS, f.fileLimit()));
            case VIDEO, VIDEOS -> t(turn, Msg.INPUT_ENOUGH_VIDEOS, f.fileLimit() == 1
                    ? t(turn, Msg.INPUT_ONE_VIDEO) : t(turn, Msg.INPUT_SOME_VIDEOS, f.fileLimit()));
            default -> t(turn, Msg.INPUT_ENOUGH_AUDIO);
        };
        return f.type().isArray() ? text + " " + t(turn, Msg.INPUT_PRESS_DONE) : text;
    }

    /** How to change the files of field {@code f} in an order waiting for «Сгенерировать», in the field's words. */
    private String change(Turn turn, InputField f) {
        Msg how = switch (f.type()) {
            case IMAGE, IMAGES -> Msg.INPUT_PHOTO_CHANGE;
            case VIDEO, VIDEOS -> Msg.INPUT_VIDEO_CHANGE;
            default -> Msg.INPUT_AUDIO_CHANGE;
        };
        return t(turn, how, t(turn, Msg.BUTTON_EDIT));
    }

    /** A versioned button of the ask screen. @return false if it does not fit the field */
    boolean button(Turn turn, Context ctx, Model m, ChatState.Collecting c, CallbackAction action, String arg) {
        InputField f = m.askedFields().get(c.field());
        switch (action) {
            case OPTION -> {
                List<String> values = Catalog.choices(f);
                if (!f.type().isChoice() || !arg.matches("\\d{1,3}") || Integer.parseInt(arg) >= values.size()) {
                    return false;
                }
                advance(turn, ctx, m, c, f, values.get(Integer.parseInt(arg)));
            }
            case DEFAULT -> {
                if (f.defaultValue().isPresent()) {
                    advance(turn, ctx, m, c, f, f.defaultValue().get());
                } else if (skippable(m, f)) {
                    // skipped: an answer kept from before (a change, «Назад») goes too
                    Map<String, String> values = new HashMap<>(c.values());
                    values.remove(f.name());
                    values.remove(FRESH);
                    Map<String, List<String>> files = new HashMap<>(c.files());
                    files.remove(f.name());
                    next(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, files));
                } else {
                    return false;
                }
            }
            case PREVIOUS_FIELD -> {
                return previous(turn, ctx, m, c);
            }
            case KEEP -> {
                return keep(turn, ctx, m, c);
            }
            case FILES_DONE -> {
                if (!f.type().isMedia() || c.files().getOrDefault(f.name(), List.of()).isEmpty()) {
                    return false;
                }
                next(turn, ctx, m, c);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Stores a value for the current field and moves on. */
    private void advance(Turn turn, Context ctx, Model m, ChatState.Collecting c, InputField f, String value) {
        Map<String, String> values = new HashMap<>(c.values());
        values.put(f.name(), value);
        next(turn, ctx, m, new ChatState.Collecting(c.modelId(), c.field(), values, c.files()));
    }

    /**
     * The next field without an answer, or the confirmation. Fields answered already are passed over: a new order
     * has none past the one asked, an order being changed ({@link #edit}, {@link #previous}) keeps its other answers.
     */
    void next(Turn turn, Context ctx, Model m, ChatState.Collecting c) {
        if (c.values().containsKey(EDITING)) {
            // one field changed: the rest stands as it was, skipped optional fields too (a caption sent with a changed
            // photo changes nothing else: the description was given already, and the user is told so)
            confirm(turn, ctx, m, confirming(c, confirmed(c.values())), false,
                    captionIgnored(turn, m, c.values(), c.values().get(CAPTION)));
            return;
        }
        Map<String, String> values = new HashMap<>(c.values());
        String caption = values.remove(CAPTION);
        Optional<Long> captionMessage = Optional.ofNullable(values.remove(CAPTION_MESSAGE)).map(Long::valueOf);
        values.remove(FRESH);
        int next = c.field() + 1;
        while (next < m.askedFields().size() && answered(m.askedFields().get(next), values, c.files())) {
            next++;
        }
        if (next < m.askedFields().size()) {
            ChatState.Collecting following = new ChatState.Collecting(c.modelId(), next, values, c.files());
            InputField field = m.askedFields().get(next);
            if (caption != null && field.type() == FieldType.TEXT && !values.containsKey(field.name())) {
                text(turn, ctx, m, following, caption, captionMessage);
            } else if (caption != null && promptAfter(m, next, values).isPresent()) {
                captionForLater(turn, ctx, m, following, promptAfter(m, next, values).get(), caption, captionMessage);
            } else {
                ask(turn, ctx, m, following, captionIgnored(turn, m, values, caption));
            }
        } else {
            confirm(turn, ctx, m, new ChatState.Confirming(c.modelId(), confirmed(values), c.files()), false,
                    captionIgnored(turn, m, values, caption));
        }
    }

    /**
     * The model's description when it is asked after field {@code from} and has no answer yet: a caption sent with a
     * file asked before it is that description ({@link #captionForLater}).
     */
    private static Optional<InputField> promptAfter(Model m, int from, Map<String, String> values) {
        for (int i = from + 1; i < m.askedFields().size(); i++) {
            InputField f = m.askedFields().get(i);
            if (f.name().equals(InputField.PROMPT)) {
                return f.type() == FieldType.TEXT && !values.containsKey(f.name()) ? Optional.of(f) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * A file's {@code caption} when a question comes between the file and the description (ideogram's character remix:
     * the photo, the references, then the description): it was let go without a word, and the description asked later
     * as if none had been given. It is the description now, checked as a typed one, and its question is passed over
     * when its turn comes, as a description typed where the photo is asked is ({@link #textForFile}); one short line
     * above the question asked now says so. A caption too long for it is not taken, and the user learns the
     * description will be asked.
     */
    private void captionForLater(Turn turn, Context ctx, Model m, ChatState.Collecting following, InputField prompt,
                                 String caption, Optional<Long> captionMessage) {
        String text = caption.strip();
        Optional<String> wrong = textProblem(turn, prompt, text);
        if (wrong.isPresent()) {
            ask(turn, ctx, m, following, t(turn, Msg.INPUT_CAPTION_TOO_LONG, InputScreens.textLimit(prompt)));
            return;
        }
        Map<String, String> values = withPrompt(following.values(), text);
        captionMessage.ifPresentOrElse(id -> values.put(PROMPT_MESSAGE, Long.toString(id)),
                () -> values.remove(PROMPT_MESSAGE));
        ask(turn, ctx, m, new ChatState.Collecting(following.modelId(), following.field(), values, following.files()),
                t(turn, Msg.INPUT_CAPTION_KEPT));
    }

    /**
     * What became of a file's {@code caption} (null: none) that answers nothing, the description having been given
     * before it (typed first, as a description-first model asks): it was let go without a word, and whoever wrote a
     * new description there thought it taken. Empty when there is nothing to say (no caption, one that shows nothing
     * or says what the description says, a model with no description).
     */
    private String captionIgnored(Turn turn, Model m, Map<String, String> values, String caption) {
        String given = values.get(InputField.PROMPT);
        if (caption == null || invisible(caption) || given == null || caption.strip().equals(given)
                || m.askedFields().stream().noneMatch(f -> f.name().equals(InputField.PROMPT))) {
            return "";
        }
        return t(turn, Msg.INPUT_CAPTION_IGNORED, t(turn, Msg.BUTTON_EDIT));
    }
}
