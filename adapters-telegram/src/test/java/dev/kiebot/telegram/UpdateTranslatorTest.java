package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatKind;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Samples follow the Bot API's JSON as Telegram delivers it (field order and extras included). */
class UpdateTranslatorTest {
    private static final long BOT_ID = FakeTelegramServer.DEFAULT_BOT_ID;
    private final UpdateTranslator translator = new UpdateTranslator("kie_test_bot", BOT_ID);

    private static final String FROM = """
            "from":{"id":987654321,"is_bot":false,"first_name":"Анна","last_name":"K","username":"anna_k","language_code":"ru","is_premium":true}""";
    private static final String PRIVATE_CHAT = """
            "chat":{"id":987654321,"first_name":"Анна","last_name":"K","username":"anna_k","type":"private"}""";

    private static String privateMessage(long updateId, String body) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":55," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000," + body + "}}";
    }

    private Event event(String json) {
        return translator.parse(json).orElseThrow().event();
    }

    /** A command as its name and arguments, whatever message it came in. */
    private static Event command(Event e) {
        assertThat(e).isInstanceOf(Event.Command.class);
        Event.Command c = (Event.Command) e;
        return new Event.Command(c.name(), c.args());
    }

    /** The text a message's event says, whatever message it came in. */
    private static String said(Event e) {
        assertThat(e).isInstanceOf(Event.Text.class);
        return ((Event.Text) e).text();
    }

    @Test
    void textMessageCarriesActorAndText() {
        Incoming in = translator.parse(privateMessage(700001, "\"text\":\"a cat in a hat\"")).orElseThrow();

        assertThat(in.updateId()).isEqualTo(700001);
        assertThat(in.actor()).isEqualTo(new Actor(987654321L, 987654321L, "Анна", Optional.of("anna_k"), Optional.of("ru")));
        // its message and date: the parts of a text a client split are told apart by them (LongText)
        assertThat(in.event()).isEqualTo(new Event.Text("a cat in a hat", Optional.of(55L),
                Optional.of(Instant.ofEpochSecond(1733740000))));
        assertThat(in.chatKind()).contains(ChatKind.PRIVATE);
    }

    /** A command carries its message and date too: the end of an admin's long /broadcast is told apart by them. */
    @Test
    void aCommandCarriesItsMessageAndDate() {
        assertThat(event(privateMessage(3, "\"text\":\"/broadcast hi\""))).isEqualTo(new Event.Command("broadcast", "hi")
                .sent(55, Instant.ofEpochSecond(1733740000)));
    }

    @Test
    void commandsAreLowerCasedAndSplitFromArguments() {
        String json = privateMessage(1, """
                "text":"/Start","entities":[{"offset":0,"length":6,"type":"bot_command"}]""");
        assertThat(command(event(json))).isEqualTo(new Event.Command("start", ""));

        assertThat(command(event(privateMessage(2, "\"text\":\"/topup   500 \""))))
                .isEqualTo(new Event.Command("topup", "500"));
        assertThat(command(event(privateMessage(3, "\"text\":\"/find\\nsomebody\""))))
                .isEqualTo(new Event.Command("find", "somebody"));
        // and the text as written: a part of a long text that begins with «/» is that text's (LongText)
        assertThat(((Event.Command) event(json)).text()).isEqualTo("/Start");
        assertThat(((Event.Command) event(privateMessage(3, "\"text\":\"/find\\nsomebody \""))).text())
                .isEqualTo("/find\nsomebody ");
    }

    @Test
    void deepLinkStartPayloadBecomesArgs() {
        String json = privateMessage(4, """
                "text":"/start ref_42-abc","entities":[{"offset":0,"length":6,"type":"bot_command"}]""");
        assertThat(command(event(json))).isEqualTo(new Event.Command("start", "ref_42-abc"));
    }

    @Test
    void commandAddressedToUsIsACommandToAnotherBotIsNot() {
        assertThat(command(event(privateMessage(5, "\"text\":\"/menu@Kie_Test_Bot\""))))
                .isEqualTo(new Event.Command("menu", ""));
        assertThat(event(privateMessage(6, "\"text\":\"/menu@other_bot x\""))).isEqualTo(new Event.Unknown("foreign_command"));
    }

    /**
     * What looks like an admin's command to a reader but is no command by Telegram's rule (a zero-width space inside
     * or before it, a Cyrillic letter in its name, a full-width slash, a non-breaking space before its arguments) is a
     * text: never run as the command it resembles.
     */
    @Test
    void aLookAlikeOfACommandIsTextNotTheCommandItResembles() {
        List<String> lookAlikes = List.of("/topup\u200b_user 42 5000", "/topup_us\u0435r 42 5000",
                "\uff0ftopup_user 42 5000", "\u200b/topup_user 42 5000", "/topup_user\u00a042 5000");
        long update = 900;
        for (String text : lookAlikes) {
            Event e = event(privateMessage(update++, "\"text\":" + new com.google.gson.Gson().toJson(text)));
            assertThat(said(e)).as(text).isEqualTo(text);
        }
    }

    @Test
    void slashTextThatIsNoCommandStaysText() {
        assertThat(said(event(privateMessage(7, "\"text\":\"/ nothing\"")))).isEqualTo("/ nothing");
        assertThat(said(event(privateMessage(8, "\"text\":\"/привет\"")))).isEqualTo("/привет");
    }

    @Test
    void photoUsesTheLargestSize() {
        String json = privateMessage(9, """
                "photo":[{"file_id":"AgACAgIAAxkBAAIBsmS_small","file_unique_id":"AQADs1","file_size":1432,"width":90,"height":67},
                         {"file_id":"AgACAgIAAxkBAAIBsmS_big","file_unique_id":"AQADs3","file_size":101577,"width":1280,"height":960},
                         {"file_id":"AgACAgIAAxkBAAIBsmS_mid","file_unique_id":"AQADs2","file_size":20410,"width":320,"height":240}],
                "caption":"make it blue"
                """);

        // the caption travels with the photo: it can answer the prompt in the same message, and the message's id with
        // them, so that an edit of the caption changes the description it gave
        assertThat(event(json)).isEqualTo(new Event.Media(MediaType.PHOTO, "AgACAgIAAxkBAAIBsmS_big", 101577,
                Optional.of("image/jpeg"), Optional.empty(), 0, Optional.of("make it blue")).inMessage(55)
                .withUniqueId("AQADs3"));
    }

    /**
     * The same photo sent again (or forwarded) comes with a file id of its own but the same {@code file_unique_id}:
     * core tells one receipt sent for two card / SBP requests by it, and had only the file id, which differed.
     */
    @Test
    void theSamePhotoSentTwiceCarriesTheSameUniqueIdUnderTwoFileIds() {
        Event.Media once = (Event.Media) event(privateMessage(18, """
                "photo":[{"file_id":"AgACAgIAAxkBAAIBsend1","file_unique_id":"AQADrcpt","file_size":80000,"width":1280,"height":960}]
                """));
        Event.Media again = (Event.Media) event(privateMessage(19, """
                "photo":[{"file_id":"AgACAgIAAxkBAAIBsend2","file_unique_id":"AQADrcpt","file_size":80000,"width":1280,"height":960}]
                """));
        assertThat(once.fileId()).isNotEqualTo(again.fileId());
        assertThat(once.uniqueId()).contains("AQADrcpt");
        assertThat(again.uniqueId()).isEqualTo(once.uniqueId());
        Event.Media file = (Event.Media) event(privateMessage(20, """
                "document":{"file_name":"receipt.pdf","mime_type":"application/pdf","file_id":"BQACAgIAAxkBAAIBpdf","file_unique_id":"AgADpdf","file_size":40000}"""));
        assertThat(file.uniqueId()).contains("AgADpdf");
    }

    @Test
    void aPhotoOfAnAlbumCarriesTheAlbumsId() {
        // core tells an album's extra photos from a new answer by it: without it, they filled the next questions
        String json = privateMessage(11, """
                "media_group_id":"13612345678901234",
                "photo":[{"file_id":"AgACAgIAAxkBAAIBalb","file_unique_id":"AQADa1","file_size":5000,"width":90,"height":67}]
                """);

        assertThat(event(json)).isEqualTo(new Event.Media(MediaType.PHOTO, "AgACAgIAAxkBAAIBalb", 5000,
                Optional.of("image/jpeg"), Optional.empty(), 0, Optional.empty(), Optional.of("13612345678901234"))
                .inMessage(55).withUniqueId("AQADa1"));
    }

    @Test
    void documentKeepsNameMimeAndSize() {
        String json = privateMessage(10, """
                "document":{"file_name":"scan.png","mime_type":"image/png","thumbnail":{"file_id":"t","file_unique_id":"tu","file_size":900,"width":90,"height":90},
                "file_id":"BQACAgIAAxkBAAIBdoc","file_unique_id":"AgADdoc","file_size":2345678}""");

        assertThat(event(json)).isEqualTo(new Event.Media(MediaType.DOCUMENT, "BQACAgIAAxkBAAIBdoc", 2345678,
                Optional.of("image/png"), Optional.of("scan.png")).inMessage(55)
                .withUniqueId("AgADdoc"));
    }

    @Test
    void audioVoiceVideoVideoNoteStickerAnimation() {
        assertThat(event(privateMessage(11, """
                "audio":{"duration":183,"file_name":"song.mp3","mime_type":"audio/mpeg","title":"Song","performer":"Me",
                "file_id":"CQACAgIAAxkBAAIBaud","file_unique_id":"AgADaud","file_size":2938491}""")))
                .isEqualTo(new Event.Media(MediaType.AUDIO, "CQACAgIAAxkBAAIBaud", 2938491, Optional.of("audio/mpeg"), Optional.of("song.mp3"), 183).inMessage(55).withUniqueId("AgADaud"));
        assertThat(event(privateMessage(12, """
                "voice":{"duration":4,"mime_type":"audio/ogg","file_id":"AwACAgIAAxkBAAIBvoi","file_unique_id":"AgADvoi","file_size":12000}""")))
                .isEqualTo(new Event.Media(MediaType.VOICE, "AwACAgIAAxkBAAIBvoi", 12000, Optional.of("audio/ogg"), Optional.empty(), 4).inMessage(55).withUniqueId("AgADvoi"));
        assertThat(event(privateMessage(13, """
                "video":{"duration":10,"width":1280,"height":720,"file_name":"clip.mp4","mime_type":"video/mp4",
                "file_id":"BAACAgIAAxkBAAIBvid","file_unique_id":"AgADvid","file_size":5242880}""")))
                .isEqualTo(new Event.Media(MediaType.VIDEO, "BAACAgIAAxkBAAIBvid", 5242880, Optional.of("video/mp4"), Optional.of("clip.mp4"), 10).inMessage(55).withUniqueId("AgADvid"));
        assertThat(event(privateMessage(14, """
                "video_note":{"duration":7,"length":240,"file_id":"DQACAgIAAxkBAAIBnote","file_unique_id":"AgADnote","file_size":300000}""")))
                .isEqualTo(new Event.Media(MediaType.VIDEO_NOTE, "DQACAgIAAxkBAAIBnote", 300000, Optional.of("video/mp4"), Optional.empty(), 7).inMessage(55).withUniqueId("AgADnote"));
        assertThat(event(privateMessage(15, """
                "sticker":{"width":512,"height":512,"emoji":"😀","set_name":"Pack","is_animated":false,"is_video":false,"type":"regular",
                "file_id":"CAACAgIAAxkBAAIBstk","file_unique_id":"AgADstk","file_size":24000}""")))
                .isEqualTo(new Event.Media(MediaType.STICKER, "CAACAgIAAxkBAAIBstk", 24000, Optional.of("image/webp"), Optional.empty()).inMessage(55).withUniqueId("AgADstk"));
        // a GIF arrives with both animation and document: it is an animation
        assertThat(event(privateMessage(16, """
                "animation":{"file_name":"cat.mp4","mime_type":"video/mp4","duration":3,"width":320,"height":240,
                "file_id":"CgACAgIAAxkBAAIBgif","file_unique_id":"AgADgif","file_size":150000},
                "document":{"file_name":"cat.mp4","mime_type":"video/mp4","file_id":"CgACAgIAAxkBAAIBgif","file_unique_id":"AgADgif","file_size":150000}""")))
                .isEqualTo(new Event.Media(MediaType.ANIMATION, "CgACAgIAAxkBAAIBgif", 150000, Optional.of("video/mp4"), Optional.of("cat.mp4")).inMessage(55).withUniqueId("AgADgif"));
    }

    @Test
    void mediaWithoutSizeReportsZero() {
        assertThat(event(privateMessage(17, """
                "voice":{"duration":1,"file_id":"v1","file_unique_id":"u1"}""")))
                .isEqualTo(new Event.Media(MediaType.VOICE, "v1", 0, Optional.of("audio/ogg"), Optional.empty(), 1).inMessage(55).withUniqueId("u1"));
    }

    /**
     * A live location is shared by Telegram editing its message every few seconds for up to eight hours: each edit
     * was an event, answered with a hint and the menu, and used up the user's rate of messages. An edit of what the
     * bot never takes is no event; the first location still is one (answered once).
     */
    @Test
    void aLiveLocationMovingIsNoEvent() {
        String location = "\"location\":{\"latitude\":55.75,\"longitude\":37.61,\"live_period\":28800}";
        assertThat(event(privateMessage(40, location))).isEqualTo(new Event.Unknown("location"));
        for (int i = 0; i < 3; i++) {
            String moved = "{\"update_id\":" + (41 + i) + ",\"edited_message\":{\"message_id\":60," + FROM + ","
                    + PRIVATE_CHAT + ",\"date\":1733740000,\"edit_date\":" + (1733740010 + i) + "," + location + "}}";
            assertThat(translator.parse(moved)).as(moved).isEmpty();
        }
        String pollEdited = "{\"update_id\":45,\"edited_message\":{\"message_id\":61," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000,\"edit_date\":1733740010,\"poll\":{\"id\":\"p\",\"question\":\"?\","
                + "\"options\":[],\"total_voter_count\":0,\"is_closed\":true,\"is_anonymous\":true,\"type\":\"regular\","
                + "\"allows_multiple_answers\":false}}}";
        assertThat(translator.parse(pollEdited)).isEmpty();
    }

    @Test
    void otherMessageKindsAreUnknownButStillEvents() {
        assertThat(event(privateMessage(20, "\"location\":{\"latitude\":55.75,\"longitude\":37.61}"))).isEqualTo(new Event.Unknown("location"));
        assertThat(event(privateMessage(21, """
                "venue":{"location":{"latitude":55.75,"longitude":37.61},"title":"Cafe","address":"Main st"},"location":{"latitude":55.75,"longitude":37.61}""")))
                .isEqualTo(new Event.Unknown("venue"));
        assertThat(event(privateMessage(22, "\"contact\":{\"phone_number\":\"+79990000000\",\"first_name\":\"Bob\"}"))).isEqualTo(new Event.Unknown("contact"));
        assertThat(event(privateMessage(23, """
                "poll":{"id":"5","question":"?","options":[{"text":"a","voter_count":0},{"text":"b","voter_count":0}],"total_voter_count":0,
                "is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}""")))
                .isEqualTo(new Event.Unknown("poll"));
        assertThat(event(privateMessage(24, "\"dice\":{\"emoji\":\"🎲\",\"value\":3}"))).isEqualTo(new Event.Unknown("dice"));
        assertThat(event(privateMessage(25, "\"some_future_field\":{\"x\":1}"))).isEqualTo(new Event.Unknown("other"));
    }

    /**
     * A user pinning the bot's message, setting the chat's auto-delete timer or background, or letting the bot write
     * to him from a Mini App or the login widget: Telegram tells the bot with a service message from the user (levlam
     * in tdlib/telegram-bot-api#731: "The bot will receive the service message as regular update"). It says nothing to
     * the bot, so it is no event: as {@code Unknown("service")} it was answered «Такие сообщения я здесь не принимаю»
     * with the menu, and mid-order it asked the field again, which made the buttons of the pinned ask stale.
     */
    @Test
    void noticesAboutThePrivateChatItselfAreNoMessageToTheBot() {
        String pinned = """
                "pinned_message":{"message_id":54,"from":{"id":%d,"is_bot":true,"first_name":"Kie",
                "username":"kie_test_bot"},%s,"date":1733739000,"text":"Готово: Nano Banana"}""".formatted(BOT_ID,
                PRIVATE_CHAT);
        List<String> notices = List.of(pinned,
                "\"pinned_message\":{\"message_id\":12," + PRIVATE_CHAT + ",\"date\":0}",
                "\"message_auto_delete_timer_changed\":{\"message_auto_delete_time\":86400}",
                "\"chat_background_set\":{\"type\":{\"type\":\"fill\",\"fill\":{\"type\":\"solid\",\"color\":0},"
                        + "\"dark_theme_dimming\":0}}",
                "\"write_access_allowed\":{\"web_app_name\":\"shop\"}",
                "\"write_access_allowed\":{\"from_request\":true}",
                "\"connected_website\":\"example.org\"");
        assertThat(notices).allSatisfy(body -> {
            String json = privateMessage(26, body);
            assertThat(UpdateTranslator.parseUpdate(json)).as(json).isPresent();
            assertThat(translator.parse(json)).as(json).isEmpty();
        });
    }

    @Test
    void editedMessages() {
        String editedText = "{\"update_id\":30,\"edited_message\":{\"message_id\":55," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000,\"edit_date\":1733740100,\"text\":\"a dog instead\"}}";
        // a correction of message 55, not a new answer: taken for one, a typo fixed in the description after the
        // next question came became that question's answer
        assertThat(event(editedText)).isEqualTo(new Event.EditedText(55, "a dog instead"));

        String editedCommand = "{\"update_id\":31,\"edited_message\":{\"message_id\":55," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000,\"edit_date\":1733740100,\"text\":\"/start\"}}";
        assertThat(event(editedCommand)).as("an edit, never run").isEqualTo(new Event.EditedText(55, "/start"));

        String editedCaption = "{\"update_id\":32,\"edited_message\":{\"message_id\":55," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000,\"edit_date\":1733740100,\"photo\":[{\"file_id\":\"p\",\"file_unique_id\":\"u\",\"width\":1,\"height\":1}],\"caption\":\"x\"}}";
        // answered as an edit («Правки … не учитываю»), not «Такие сообщения я здесь не принимаю» and the question;
        // with the file the message carries now: a photo swapped in it was dropped, and the old one paid for
        assertThat(event(editedCaption)).isEqualTo(new Event.EditedMedia(55, new Event.Media(MediaType.PHOTO, "p", 0,
                Optional.of("image/jpeg"), Optional.empty()).withCaption("x").inMessage(55).withUniqueId("u")));

        String noCaption = "{\"update_id\":33,\"edited_message\":{\"message_id\":56," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000,\"edit_date\":1733740100,\"photo\":[{\"file_id\":\"q\",\"file_unique_id\":\"v\",\"width\":1,\"height\":1}]}}";
        assertThat(event(noCaption)).isInstanceOfSatisfying(Event.EditedMedia.class,
                ed -> assertThat(ed.asText()).isEqualTo(new Event.EditedText(56, "")));
    }

    @Test
    void aPictureSentWithoutItsTypeIsTypedByItsName() {
        // some clients send a file without mime_type: a JPEG was refused as «Нужно фото»
        String json = privateMessage(10, """
                "document":{"file_name":"IMG_1.JPG","file_id":"BQnomime","file_unique_id":"AgADnm","file_size":5000}""");

        assertThat(event(json)).isEqualTo(new Event.Media(MediaType.DOCUMENT, "BQnomime", 5000,
                Optional.of("image/jpeg"), Optional.of("IMG_1.JPG")).inMessage(55).withUniqueId("AgADnm"));

        String unnamed = privateMessage(11, """
                "document":{"file_name":"notes","file_id":"BQnoext","file_unique_id":"AgADne","file_size":5000}""");
        assertThat(((Event.Media) event(unnamed)).mimeType()).isEmpty();
    }

    @Test
    void aForwardedCommandIsSomebodyElsesWordsNotTheSendersCommand() {
        FakeUpdates u = new FakeUpdates();
        // an admin passing on a user's message must not run the user's "/topup_user" as the admin's own
        assertThat(event(u.forwardedText(900, 5_550_001, "/topup_user 5550001 1000")))
                .isEqualTo(new Event.Unknown("forwarded_command"));
        assertThat(event(u.forwardedText(900, 5_550_001, "/refund gen_12")))
                .isEqualTo(new Event.Unknown("forwarded_command"));
        // a forwarded prompt is still a prompt
        assertThat(said(event(u.forwardedText(900, 5_550_001, "a fox in the snow")))).isEqualTo("a fox in the snow");
    }

    /**
     * A message sent through another bot's inline mode carries text that bot wrote: an admin picking a harmless-looking
     * result of some inline bot in the chat with this one must not run "/topup_user" as the admin's own command.
     */
    @Test
    void aCommandSentThroughAnInlineBotIsThatBotsWordsNotTheSendersCommand() {
        FakeUpdates u = new FakeUpdates();
        assertThat(event(u.viaBotText(900, 777, "/topup_user 5550001 1000")))
                .isEqualTo(new Event.Unknown("inline_bot_command"));
        assertThat(event(u.viaBotText(900, 777, "/refund_stars 5550001"))).isEqualTo(new Event.Unknown("inline_bot_command"));
        // in a group it is not ours to answer either
        String group = u.viaBotText(900, 777, "/topup_user 5550001 1000").replace("\"type\":\"private\"",
                "\"type\":\"supergroup\"").replace("\"id\":900,\"type\"", "\"id\":-100900,\"type\"");
        assertThat(translator.parse(group)).isEmpty();
        // a result picked as a prompt is still a prompt
        assertThat(said(event(u.viaBotText(900, 777, "a fox in the snow")))).isEqualTo("a fox in the snow");
    }

    /** Long polling stores an update as pengrad writes it back: what marks a command as not the sender's survives. */
    @Test
    void aPolledForwardedEditedOrInlineBotCommandStaysRefused() {
        FakeUpdates u = new FakeUpdates();
        for (String json : java.util.List.of(u.forwardedText(900, 5_550_001, "/topup_user 5550001 1000"),
                u.viaBotText(900, 777, "/topup_user 5550001 1000"), u.editedText(900, "/topup_user 5550001 1000"))) {
            String polled = UpdateTranslator.toJson(UpdateTranslator.parseUpdate(json).orElseThrow());
            // never a command: refused, or (edited) a correction of an earlier message
            assertThat(translator.parse(polled).orElseThrow().event()).isEqualTo(event(json))
                    .isInstanceOfAny(Event.Unknown.class, Event.EditedText.class)
                    .isNotInstanceOf(Event.Command.class);
        }
    }

    @Test
    void callbackQueryWithDataAndMessage() {
        String json = """
                {"update_id":40,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":987654321,"is_bot":false,"first_name":"Анна","language_code":"en"},
                "message":{"message_id":77,"from":{"id":1234567,"is_bot":true,"first_name":"Kie","username":"kie_test_bot"},
                "chat":{"id":987654321,"first_name":"Анна","type":"private"},"date":1733740000,"text":"Pick a model",
                "reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"v3:m:abc"}]]}},
                "chat_instance":"-8912389123","data":"v3:m:abc"}}""";
        Incoming in = translator.parse(json).orElseThrow();

        assertThat(in.event()).isEqualTo(new Event.Callback("4382bfdwdsb323b2d9", "v3:m:abc", Optional.of(77L)));
        assertThat(in.actor().chatId()).isEqualTo(987654321L);
        assertThat(in.actor().languageCode()).contains("en");
    }

    /**
     * A press names its presser and the message it was on: one on a message of another user's private chat (which a
     * client cannot reach, but a forged update could name) is not served as the presser's private chat, where his
     * session and his money are: a private chat's id is its user's.
     */
    @Test
    void aPressOnAMessageOfAnotherUsersPrivateChatIsNotServedAsPrivate() {
        Incoming in = translator.parse("""
                {"update_id":45,"callback_query":{"id":"q9",%s,
                "message":{"message_id":9,"from":{"id":%d,"is_bot":true,"first_name":"Kie"},
                "chat":{"id":42,"first_name":"U","type":"private"},"date":1733740000,"text":"x"},
                "chat_instance":"1","data":"*|r|gen_1"}}""".formatted(FROM, BOT_ID)).orElseThrow();

        assertThat(in.actor().userId()).isEqualTo(987654321L);
        assertThat(in.actor().chatId()).isEqualTo(42L);
        assertThat(in.chat()).isEqualTo(ChatKind.GROUP);
    }

    @Test
    void callbackWithoutDataOrOnInaccessibleOrInlineMessage() {
        String noData = """
                {"update_id":41,"callback_query":{"id":"q1","from":{"id":5,"is_bot":false,"first_name":"X"},
                "message":{"message_id":9,"chat":{"id":5,"type":"private"},"date":1733740000,"text":"t"},"chat_instance":"1"}}""";
        assertThat(event(noData)).isEqualTo(new Event.Callback("q1", "", Optional.of(9L)));

        String garbage = """
                {"update_id":42,"callback_query":{"id":"q2","from":{"id":5,"is_bot":false,"first_name":"X"},
                "message":{"message_id":10,"chat":{"id":5,"type":"private"},"date":0},"chat_instance":"1","data":"\\u0000ü💥<b>"}}""";
        assertThat(event(garbage)).isEqualTo(new Event.Callback("q2", "\u0000ü💥<b>", Optional.of(10L)));

        String inline = """
                {"update_id":43,"callback_query":{"id":"q3","from":{"id":5,"is_bot":false,"first_name":"X"},
                "inline_message_id":"BAAAAB","chat_instance":"1","data":"d"}}""";
        Incoming in = translator.parse(inline).orElseThrow();
        assertThat(in.event()).isEqualTo(new Event.Callback("q3", "d", Optional.empty()));
        assertThat(in.actor().chatId()).isEqualTo(5);
    }

    @Test
    void preCheckoutQuery() {
        String json = """
                {"update_id":50,"pre_checkout_query":{"id":"1234567890123456789","from":{"id":987654321,"is_bot":false,"first_name":"Анна","language_code":"ru"},
                "currency":"XTR","total_amount":250,"invoice_payload":"intent:8f2c"}}""";
        Incoming in = translator.parse(json).orElseThrow();

        assertThat(in.event()).isEqualTo(new Event.PreCheckout("1234567890123456789", "intent:8f2c", "XTR", 250));
        assertThat(in.actor().chatId()).isEqualTo(987654321L);
    }

    @Test
    void successfulAndRefundedPayments() {
        assertThat(event(privateMessage(51, """
                "successful_payment":{"currency":"XTR","total_amount":250,"invoice_payload":"intent:8f2c",
                "telegram_payment_charge_id":"stxAbCdEf123","provider_payment_charge_id":""}""")))
                .isEqualTo(new Event.SuccessfulPayment("stxAbCdEf123", "intent:8f2c", "XTR", 250));
        assertThat(event(privateMessage(52, """
                "refunded_payment":{"currency":"XTR","total_amount":250,"invoice_payload":"intent:8f2c",
                "telegram_payment_charge_id":"stxAbCdEf123"}""")))
                .isEqualTo(new Event.RefundedPayment("stxAbCdEf123", "intent:8f2c", "XTR", 250));
    }

    /**
     * Telegram's refunded_payment is a service message of the bot's own: its "from" is the bot that gave the Stars
     * back, not the payer (aiogram/aiogram#1692; MTProto's messageActionPaymentRefunded names the peer that returned
     * the funds). It was dropped as a bot's message, so no refund Telegram reported ever took anything from a wallet.
     */
    @Test
    void aRefundedPaymentFromTheBotItselfIsThePayersInHisPrivateChat() {
        String json = """
                {"update_id":53,"message":{"message_id":56,"from":{"id":%d,"is_bot":true,"first_name":"Kie",                "username":"kie_test_bot"},%s,"date":1733740000,"refunded_payment":{"currency":"XTR","total_amount":250,                "invoice_payload":"topup:8f2c","telegram_payment_charge_id":"stxAbCdEf123"}}}""".formatted(BOT_ID,
                PRIVATE_CHAT);
        Incoming in = translator.parse(json).orElseThrow();
        assertThat(in.event()).isEqualTo(new Event.RefundedPayment("stxAbCdEf123", "topup:8f2c", "XTR", 250));
        assertThat(in.actor().userId()).isEqualTo(987654321L);
        assertThat(in.actor().chatId()).isEqualTo(987654321L);
        assertThat(in.actor().firstName()).isEqualTo("Анна");
        assertThat(in.chatKind()).contains(ChatKind.PRIVATE);
    }

    /**
     * Money moves only on Telegram's notices as Telegram sends them: an edited message holding a payment or a refund is
     * no new one, the bot's refund notice in a group names no payer (a group's id is nobody's), and a message in a
     * channel, whoever signs it, is nobody talking to the bot.
     */
    @Test
    void paymentNoticesCountOnlyAsSentAndACommandInAChannelIsNothing() {
        String payment = """
                "successful_payment":{"currency":"XTR","total_amount":250,"invoice_payload":"topup:8f2c",
                "telegram_payment_charge_id":"stxAbCdEf123","provider_payment_charge_id":""}""";
        String refund = """
                "refunded_payment":{"currency":"XTR","total_amount":250,"invoice_payload":"topup:8f2c",
                "telegram_payment_charge_id":"stxAbCdEf123"}""";
        for (String notice : List.of(payment, refund)) {
            String edited = "{\"update_id\":54,\"edited_message\":{\"message_id\":55," + FROM + "," + PRIVATE_CHAT
                    + ",\"date\":1733740000,\"edit_date\":1733740100," + notice + "}}";
            assertThat(translator.parse(edited)).as(edited).isEmpty();
        }
        String inAGroup = """
                {"update_id":55,"message":{"message_id":57,"from":{"id":%d,"is_bot":true,"first_name":"Kie",\
                "username":"kie_test_bot"},"chat":{"id":-1001234,"title":"G","type":"supergroup"},"date":1733740000,%s}}"""
                .formatted(BOT_ID, refund);
        assertThat(translator.parse(inAGroup)).isEmpty();
        String inAChannel = """
                {"update_id":56,"message":{"message_id":58,%s,"chat":{"id":-1009,"title":"C","type":"channel"},\
                "date":1733740000,"text":"/topup_user 987654321 1000"}}""".formatted(FROM);
        assertThat(translator.parse(inAChannel)).isEmpty();
    }

    @Test
    void blockAndUnblockFromMyChatMember() {
        String kicked = """
                {"update_id":60,"my_chat_member":{"chat":{"id":987654321,"first_name":"Анна","type":"private"},
                "from":{"id":987654321,"is_bot":false,"first_name":"Анна"},"date":1733740000,
                "old_chat_member":{"user":{"id":1234567,"is_bot":true,"first_name":"Kie","username":"kie_test_bot"},"status":"member"},
                "new_chat_member":{"user":{"id":1234567,"is_bot":true,"first_name":"Kie","username":"kie_test_bot"},"status":"kicked","until_date":0}}}""";
        assertThat(event(kicked)).isEqualTo(new Event.MembershipChanged(true));

        assertThat(event(kicked.replace("\"update_id\":60", "\"update_id\":61").replace("\"status\":\"kicked\"", "\"status\":\"member\"")))
                .isEqualTo(new Event.MembershipChanged(false));
        // added as administrator somewhere: not a block
        assertThat(translator.parse(kicked.replace("\"status\":\"kicked\"", "\"status\":\"administrator\""))).isEmpty();
        // membership changes in groups are not about a user blocking the bot
        assertThat(translator.parse(kicked.replace("\"type\":\"private\"", "\"type\":\"supergroup\"")
                .replace("\"id\":987654321,\"first_name\":\"Анна\",\"type\"", "\"id\":-1001234567890,\"title\":\"G\",\"type\""))).isEmpty();
    }

    @Test
    void groupsOnlyCommandsNotForOtherBotsAndRepliesToTheBotEachMarkedAsAGroup() {
        FakeUpdates u = new FakeUpdates();
        long group = -1001234567890L;

        assertThat(translator.parse(u.groupText(group, 7, "hello everyone"))).isEmpty();
        assertThat(translator.parse(u.groupText(group, 7, "/menu@other_bot"))).isEmpty();

        Incoming addressed = translator.parse(u.groupText(group, 7, "/menu@kie_test_bot now")).orElseThrow();
        assertThat(command(addressed.event())).isEqualTo(new Event.Command("menu", "now"));
        assertThat(addressed.actor().chatId()).isEqualTo(group);
        assertThat(addressed.actor().userId()).isEqualTo(7);
        assertThat(addressed.chatKind()).contains(ChatKind.SUPERGROUP);
        // a plain /start: Telegram gives it to a bot in privacy mode only when it is likely meant for it
        Incoming plain = translator.parse(u.groupText(group, 7, "/start")).orElseThrow();
        assertThat(command(plain.event())).isEqualTo(new Event.Command("start", ""));
        assertThat(plain.chatKind()).contains(ChatKind.SUPERGROUP);

        Incoming reply = translator.parse(u.groupReplyToBot(group, 7, "a red car", 300)).orElseThrow();
        assertThat(said(reply.event())).isEqualTo("a red car");
        assertThat(reply.chatKind()).contains(ChatKind.SUPERGROUP);
        assertThat(command(translator.parse(u.groupReplyToBot(group, 7, "/help", 300)).orElseThrow().event()))
                .isEqualTo(new Event.Command("help", ""));
    }

    /** Samples as Telegram sends them from a basic group: the bot added, a command to it, a press, small talk. */
    @Test
    void aRealGroupsUpdatesSayTheyComeFromAGroup() {
        String groupChat = """
                "chat":{"id":-4012345678,"title":"Design team","type":"group","all_members_are_administrators":true}""";
        String added = """
                {"update_id":90,"my_chat_member":{%s,
                "from":{"id":987654321,"is_bot":false,"first_name":"Анна","username":"anna_k","language_code":"ru"},"date":1733740000,
                "old_chat_member":{"user":{"id":1234567,"is_bot":true,"first_name":"Kie","username":"kie_test_bot"},"status":"left"},
                "new_chat_member":{"user":{"id":1234567,"is_bot":true,"first_name":"Kie","username":"kie_test_bot"},"status":"member"}}}"""
                .formatted(groupChat);
        Incoming joined = translator.parse(added).orElseThrow();
        assertThat(joined.event()).isEqualTo(new Event.MembershipChanged(false));
        assertThat(joined.chatKind()).contains(ChatKind.GROUP);
        assertThat(joined.actor().chatId()).isEqualTo(-4012345678L);
        assertThat(joined.actor().userId()).isEqualTo(987654321L);
        // made an administrator, or removed: the group hears nothing
        assertThat(translator.parse(added.replace("\"status\":\"left\"", "\"status\":\"member\"")
                .replace("\"status\":\"member\"}}}", "\"status\":\"administrator\"}}}"))).isEmpty();
        assertThat(translator.parse(added.replace("\"status\":\"left\"", "\"status\":\"member\"")
                .replace("\"status\":\"member\"}}}", "\"status\":\"left\"}}}"))).isEmpty();

        String start = """
                {"update_id":91,"message":{"message_id":12,%s,%s,"date":1733740050,
                "text":"/start@kie_test_bot","entities":[{"offset":0,"length":19,"type":"bot_command"}]}}"""
                .formatted(FROM, groupChat);
        Incoming command = translator.parse(start).orElseThrow();
        assertThat(command(command.event())).isEqualTo(new Event.Command("start", ""));
        assertThat(command.chatKind()).contains(ChatKind.GROUP);
        assertThat(command.actor().chatId()).isEqualTo(-4012345678L);

        String press = """
                {"update_id":92,"callback_query":{"id":"4382bfdwdsb323b2d0",%s,
                "message":{"message_id":13,"from":{"id":1234567,"is_bot":true,"first_name":"Kie","username":"kie_test_bot"},
                %s,"date":1733740060,"text":"Ready: Nano Banana",
                "reply_markup":{"inline_keyboard":[[{"text":"Generate","callback_data":"v3|c"}]]}},
                "chat_instance":"-5512389123","data":"v3|c"}}""".formatted(FROM, groupChat);
        Incoming pressed = translator.parse(press).orElseThrow();
        assertThat(pressed.event()).isEqualTo(new Event.Callback("4382bfdwdsb323b2d0", "v3|c", Optional.of(13L)));
        assertThat(pressed.chatKind()).contains(ChatKind.GROUP);
        assertThat(pressed.actor().chatId()).isEqualTo(-4012345678L);

        assertThat(translator.parse("""
                {"update_id":93,"message":{"message_id":14,%s,%s,"date":1733740070,"text":"nice pictures"}}"""
                .formatted(FROM, groupChat))).isEmpty();
    }

    @Test
    void aCommandInAForumTopicSaysItsTopicAndOneInAReplyThreadDoesNot() {
        String forum = "\"chat\":{\"id\":-1001234567890,\"title\":\"Нейросети\",\"type\":\"supergroup\","
                + "\"is_forum\":true}";
        Incoming inTopic = translator.parse("""
                {"update_id":95,"message":{"message_id":40,"message_thread_id":37,"is_topic_message":true,%s,%s,
                "date":1733740080,"text":"/start@kie_test_bot",
                "entities":[{"offset":0,"length":19,"type":"bot_command"}]}}""".formatted(FROM, forum)).orElseThrow();
        assertThat(command(inTopic.event())).isEqualTo(new Event.Command("start", ""));
        assertThat(inTopic.chatKind()).contains(ChatKind.SUPERGROUP);
        assertThat(inTopic.topic()).contains(37L);

        // the General topic's messages carry no thread; a reply thread of a group that is no forum is no topic
        assertThat(translator.parse("""
                {"update_id":96,"message":{"message_id":41,%s,%s,"date":1733740090,"text":"/start"}}"""
                .formatted(FROM, forum)).orElseThrow().topic()).isEmpty();
        String plain = "\"chat\":{\"id\":-1001234567891,\"title\":\"Чат\",\"type\":\"supergroup\"}";
        assertThat(translator.parse("""
                {"update_id":97,"message":{"message_id":42,"message_thread_id":30,%s,%s,"date":1733740100,
                "text":"/start","reply_to_message":{"message_id":30,%s,%s,"date":1733740000,"text":"hi"}}}"""
                .formatted(FROM, plain, FROM, plain)).orElseThrow().topic()).isEmpty();
    }

    @Test
    void aChatWithoutItsTypeIsPrivateOnlyWithAUsersId() {
        assertThat(translator.parse("""
                {"update_id":94,"message":{"message_id":1,%s,"chat":{"id":987654321},"date":1733740000,"text":"/start"}}"""
                .formatted(FROM)).orElseThrow().chatKind()).contains(ChatKind.PRIVATE);
        assertThat(translator.parse("""
                {"update_id":95,"message":{"message_id":1,%s,"chat":{"id":-4012345678},"date":1733740000,"text":"/start"}}"""
                .formatted(FROM)).orElseThrow().chatKind()).contains(ChatKind.SUPERGROUP);
    }

    @Test
    void channelPostsAndOtherUpdateKindsAreIgnored() {
        assertThat(translator.parse("""
                {"update_id":70,"channel_post":{"message_id":1,"sender_chat":{"id":-1009,"title":"C","type":"channel"},
                "chat":{"id":-1009,"title":"C","type":"channel"},"date":1733740000,"text":"/start"}}""")).isEmpty();
        assertThat(translator.parse("""
                {"update_id":71,"inline_query":{"id":"1","from":{"id":5,"is_bot":false,"first_name":"X"},"query":"q","offset":""}}""")).isEmpty();
        assertThat(translator.parse("""
                {"update_id":72,"message":{"message_id":1,"from":{"id":999,"is_bot":true,"first_name":"OtherBot"},
                "chat":{"id":999,"type":"private"},"date":1733740000,"text":"hi"}}""")).isEmpty();
    }

    /**
     * Updates that name a user but are no message of his to the bot move nothing and run no command: a chat of a
     * Telegram Business account the bot was connected to (a customer's payment or an admin's command there is written
     * to the business, not to the bot), a join request, a reaction, a purchase of paid media, a shipping query, a
     * member change of someone else, and a group's anonymous admin or a channel posting in a group (Telegram's own
     * stand-in bots are their {@code from}) or a linked channel's post forwarded into its group, whatever the id.
     */
    @Test
    void updatesThatNameAUserButAreNoMessageOfHisToTheBotAreIgnored() {
        String admin = """
                "from":{"id":1,"is_bot":false,"first_name":"Admin"}""";
        String businessChat = """
                "chat":{"id":1,"first_name":"Admin","type":"private"}""";
        List<String> ignored = new ArrayList<>();
        ignored.add("""
                {"update_id":80,"business_message":{"message_id":1,"business_connection_id":"bc1",%s,%s,"date":1733740000,
                "text":"/topup_user 42 100000","entities":[{"offset":0,"length":11,"type":"bot_command"}]}}"""
                .formatted(admin, businessChat));
        ignored.add("""
                {"update_id":81,"business_message":{"message_id":2,"business_connection_id":"bc1",%s,%s,"date":1733740000,
                "successful_payment":{"currency":"XTR","total_amount":50,"invoice_payload":"topup:x",
                "telegram_payment_charge_id":"stxBusiness"}}}""".formatted(FROM, PRIVATE_CHAT));
        ignored.add("""
                {"update_id":82,"edited_business_message":{"message_id":1,"business_connection_id":"bc1",%s,%s,
                "date":1733740000,"edit_date":1733740100,"text":"/broadcast hi"}}""".formatted(admin, businessChat));
        ignored.add("""
                {"update_id":83,"chat_join_request":{"chat":{"id":-1009,"title":"C","type":"channel"},%s,
                "user_chat_id":987654321,"date":1733740000}}""".formatted(FROM));
        ignored.add("""
                {"update_id":84,"message_reaction":{"chat":{"id":987654321,"first_name":"Анна","type":"private"},
                "message_id":5,"user":{"id":987654321,"is_bot":false,"first_name":"Анна"},"date":1733740000,
                "old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}""");
        ignored.add("""
                {"update_id":85,"purchased_paid_media":{%s,"paid_media_payload":"x"}}""".formatted(FROM));
        ignored.add("""
                {"update_id":86,"shipping_query":{"id":"s1",%s,"invoice_payload":"topup:x",
                "shipping_address":{"country_code":"RU","state":"","city":"M","street_line1":"a","street_line2":"",
                "post_code":"1"}}}""".formatted(FROM));
        ignored.add("""
                {"update_id":87,"chat_member":{"chat":{"id":-1001234567890,"title":"G","type":"supergroup"},%s,
                "date":1733740000,"old_chat_member":{"user":{"id":5,"is_bot":false,"first_name":"X"},"status":"left"},
                "new_chat_member":{"user":{"id":5,"is_bot":false,"first_name":"X"},"status":"member"}}}"""
                .formatted(FROM));
        ignored.add("""
                {"update_id":88,"message":{"message_id":3,"from":{"id":1087968824,"is_bot":true,
                "first_name":"Group","username":"GroupAnonymousBot"},"sender_chat":{"id":-1001234567890,"title":"G",
                "type":"supergroup"},"chat":{"id":-1001234567890,"title":"G","type":"supergroup"},"date":1733740000,
                "text":"/topup_user 42 100000"}}""");
        ignored.add("""
                {"update_id":89,"message":{"message_id":4,"from":{"id":136817688,"is_bot":true,"first_name":"Channel",
                "username":"Channel_Bot"},"sender_chat":{"id":-1009,"title":"C","type":"channel"},
                "chat":{"id":-1001234567890,"title":"G","type":"supergroup"},"date":1733740000,"text":"/start"}}""");
        // a linked channel's post, which Telegram forwards into the channel's discussion group itself (from its own
        // service account, no bot): the channel's admin wrote it, not a member to the bot
        ignored.add("""
                {"update_id":90,"message":{"message_id":6,"from":{"id":777000,"is_bot":false,"first_name":"Telegram"},
                "sender_chat":{"id":-1009,"title":"C","type":"channel"},"is_automatic_forward":true,
                "forward_origin":{"type":"channel","chat":{"id":-1009,"title":"C","type":"channel"},"message_id":1,
                "date":1733740000},"chat":{"id":-1001234567890,"title":"G","type":"supergroup"},"date":1733740000,
                "text":"/topup_user 42 100000"}}""");
        assertThat(ignored).hasSize(11).allSatisfy(json -> {
            assertThat(UpdateTranslator.updateIdOf(json)).as("an update Telegram could send").isPresent();
            assertThat(translator.parse(json)).as(json).isEmpty();
        });
    }

    @Test
    void malformedJsonIsEmptyNotAnException() {
        assertThat(translator.parse("garbage{")).isEmpty();
        assertThat(translator.parse("")).isEmpty();
        assertThat(translator.parse(null)).isEmpty();
        assertThat(translator.parse("[1,2]")).isEmpty();
        assertThat(translator.parse("null")).isEmpty();
        assertThat(translator.parse("{}")).isEmpty();
        assertThat(translator.parse("{\"update_id\":\"abc\"}")).isEmpty();
        assertThat(translator.parse("{\"update_id\":5,\"message\":\"not an object\"}")).isEmpty();
        assertThat(translator.parse("{\"update_id\":5,\"message\":{\"chat\":{\"id\":1}}}")).isEmpty();
    }

    @Test
    void chatIdAndUpdateIdOfRawJsonForTheInbox() {
        FakeUpdates u = new FakeUpdates();
        assertThat(UpdateTranslator.chatIdOf(u.text(42, "hi"))).isEqualTo(42);
        assertThat(UpdateTranslator.chatIdOf(u.groupText(-100777, 42, "hi"))).isEqualTo(-100777);
        assertThat(UpdateTranslator.chatIdOf(u.callback(43, 5, "x"))).isEqualTo(43);
        assertThat(UpdateTranslator.chatIdOf(u.preCheckout(44, "p", 10))).isEqualTo(44);
        assertThat(UpdateTranslator.chatIdOf(u.blocked(45))).isEqualTo(45);
        assertThat(UpdateTranslator.chatIdOf("""
                {"update_id":3,"callback_query":{"id":"q","from":{"id":46,"is_bot":false,"first_name":"X"},"inline_message_id":"I","chat_instance":"1"}}"""))
                .isEqualTo(46);
        assertThat(UpdateTranslator.chatIdOf("""
                {"update_id":4,"poll":{"id":"1","question":"?","options":[],"total_voter_count":0}}""")).isZero();
        assertThat(UpdateTranslator.chatIdOf("not json")).isZero();

        assertThat(UpdateTranslator.updateIdOf("{\"update_id\":12345,\"message\":{}}")).hasValue(12345);
        assertThat(UpdateTranslator.updateIdOf("{}")).isEmpty();
        assertThat(UpdateTranslator.updateIdOf("nope")).isEmpty();
    }

    @Test
    void polledUpdatesSurviveTheRoundTripThroughJson() {
        FakeUpdates u = new FakeUpdates();
        for (String json : java.util.List.of(u.text(1, "hi"), u.command(1, "start", "x"), u.photo(1, "p", 10, "c"),
                u.document(1, "d", "a.pdf", "application/pdf", 5), u.audio(1, "a", "s.mp3", "audio/mpeg", 5),
                u.video(1, "v", "v.mp4", 5), u.animation(1, "g", 5), u.sticker(1, "s"), u.voice(1, "v", 5),
                u.callback(1, 5, "d"), u.callbackOnInaccessibleMessage(1, 6, "d"), u.preCheckout(1, "p", 5),
                u.successfulPayment(1, "p", 5, "c"), u.refundedPayment(1, "p", 5, "c"), u.blocked(1), u.location(1, 1, 2),
                u.groupReplyToBot(-100, 1, "r", 3))) {
            var update = UpdateTranslator.parseUpdate(json).orElseThrow();
            String again = UpdateTranslator.toJson(update);
            assertThat(translator.parse(again)).isEqualTo(translator.parse(json)).isPresent();
            assertThat(UpdateTranslator.chatIdOf(again)).isEqualTo(UpdateTranslator.chatIdOf(json));
        }
    }

    @Test
    void unknownUsernameAcceptsAddressedCommands() {
        UpdateTranslator anonymous = new UpdateTranslator("", 0);
        assertThat(command(anonymous.parse(privateMessage(80, "\"text\":\"/menu@whatever_bot\"")).orElseThrow().event()))
                .isEqualTo(new Event.Command("menu", ""));
        assertThat(command(new UpdateTranslator("@kie_test_bot").parse(privateMessage(81,
                "\"text\":\"/menu@kie_test_bot\"")).orElseThrow().event())).isEqualTo(new Event.Command("menu", ""));
    }

    @Test
    void fakeUpdateBuilderProducesTranslatableUpdates() {
        FakeUpdates u = new FakeUpdates().language("de");
        assertThat(translator.parse(u.text(1, "hi")).orElseThrow().actor().languageCode()).contains("de");
        assertThat(command(event(u.command(1, "start", "promo")))).isEqualTo(new Event.Command("start", "promo"));
        assertThat(event(u.editedText(1, "e"))).isInstanceOfSatisfying(Event.EditedText.class,
                ed -> assertThat(ed.text()).isEqualTo("e"));
        assertThat(event(u.photo(1, "ph", 5000, "cap"))).usingRecursiveComparison().ignoringFields("messageId", "uniqueId")
                .isEqualTo(new Event.Media(MediaType.PHOTO, "ph", 5000, Optional.of("image/jpeg"), Optional.empty(), 0, Optional.of("cap")));
        assertThat(event(u.document(1, "d", "a.pdf", "application/pdf", 10))).usingRecursiveComparison().ignoringFields("messageId", "uniqueId")
                .isEqualTo(new Event.Media(MediaType.DOCUMENT, "d", 10, Optional.of("application/pdf"), Optional.of("a.pdf")));
        assertThat(((Event.Media) event(u.audio(1, "a", "s.mp3", "audio/mpeg", 10))).type()).isEqualTo(MediaType.AUDIO);
        assertThat(((Event.Media) event(u.voice(1, "v", 10))).type()).isEqualTo(MediaType.VOICE);
        assertThat(((Event.Media) event(u.video(1, "v", "c.mp4", 10))).type()).isEqualTo(MediaType.VIDEO);
        assertThat(((Event.Media) event(u.videoNote(1, "v", 10))).type()).isEqualTo(MediaType.VIDEO_NOTE);
        assertThat(((Event.Media) event(u.sticker(1, "s"))).type()).isEqualTo(MediaType.STICKER);
        assertThat(((Event.Media) event(u.animation(1, "g", 10))).type()).isEqualTo(MediaType.ANIMATION);
        assertThat(event(u.location(1, 1, 2))).isEqualTo(new Event.Unknown("location"));
        assertThat(event(u.contact(1, "+1"))).isEqualTo(new Event.Unknown("contact"));
        assertThat(event(u.dice(1))).isEqualTo(new Event.Unknown("dice"));
        assertThat(translator.parse(u.pinned(1, 77))).isEmpty();
        String cb = u.callback(1, 77, "data");
        long id = UpdateTranslator.updateIdOf(cb).orElseThrow();
        assertThat(event(cb)).isEqualTo(new Event.Callback("cbq-" + id, "data", Optional.of(77L)));
        assertThat(event(u.callbackOnInaccessibleMessage(1, 78, null))).isInstanceOf(Event.Callback.class);
        String pcq = u.preCheckout(1, "pay", 100);
        assertThat(event(pcq)).isEqualTo(new Event.PreCheckout("pcq-" + UpdateTranslator.updateIdOf(pcq).orElseThrow(), "pay", "XTR", 100));
        assertThat(event(u.successfulPayment(1, "pay", 100, "ch"))).isEqualTo(new Event.SuccessfulPayment("ch", "pay", "XTR", 100));
        assertThat(event(u.refundedPayment(1, "pay", 100, "ch"))).isEqualTo(new Event.RefundedPayment("ch", "pay", "XTR", 100));
        assertThat(event(u.blocked(1))).isEqualTo(new Event.MembershipChanged(true));
        assertThat(event(u.unblocked(1))).isEqualTo(new Event.MembershipChanged(false));
    }

    /**
     * An update whose content cannot be read is ignored with one WARN that says what happens and where it failed (the
     * exception's type and first frames, never its message, which may quote the update): it said only
     * «update could not be translated: NullPointerException», nothing for a bug report.
     */
    @Test
    void anUpdateThatCannotBeReadIsOneWarningSayingWhereAndWhatHappens() {
        try (LogCapture logs = new LogCapture()) {
            assertThat(translator.parse(privateMessage(7, "\"photo\":[{}]"))).isEmpty();
            assertThat(logs.lines()).singleElement().asString()
                    .startsWith("WARN dev.kiebot.telegram.UpdateTranslator update ignored, its content could not be read (")
                    .containsPattern("NullPointerException at .*UpdateTranslator\\.\\w+:\\d+\\)")
                    .contains("its sender gets no answer", "report it with this line");
        }
    }

    /**
     * Telegram always sends a payment's amount. One without it is read as a payment of 0 (the library's field is a
     * primitive), never dropped: core credits none of 0 and tells the user and the admins it came without its amount.
     */
    @Test
    void aPaymentWithoutItsAmountIsAPaymentOfNoneNotAnUpdateDropped() {
        String paid = privateMessage(61, """
                "successful_payment":{"currency":"XTR","invoice_payload":"topup:8f2c",\
                "telegram_payment_charge_id":"stxAbCdEf123","provider_payment_charge_id":""}""");
        assertThat(event(paid)).isEqualTo(new Event.SuccessfulPayment("stxAbCdEf123", "topup:8f2c", "XTR", 0));
    }

    /**
     * What the door tells a replay by: the update's own date. A message's, an edit's edit_date (its date is the first
     * sending's, maybe days before), a membership change's; a press has none of its own (its message is the bot's,
     * however old), nor a pre-checkout.
     */
    @Test
    void anUpdatesOwnDateIsItsMessagesItsEditsOrItsMembershipChangesAndAPressHasNone() {
        assertThat(UpdateTranslator.keyOf(privateMessage(62, "\"text\":\"hi\"")).orElseThrow().sentAt())
                .contains(Instant.ofEpochSecond(1_733_740_000));
        String edited = "{\"update_id\":63,\"edited_message\":{\"message_id\":55," + FROM + "," + PRIVATE_CHAT
                + ",\"date\":1733740000,\"edit_date\":1733750000,\"text\":\"hi!\"}}";
        assertThat(UpdateTranslator.keyOf(edited).orElseThrow().sentAt()).contains(Instant.ofEpochSecond(1_733_750_000));
        String press = "{\"update_id\":64,\"callback_query\":{\"id\":\"q\"," + FROM + ",\"message\":{\"message_id\":5,"
                + PRIVATE_CHAT + ",\"date\":1733740000,\"text\":\"menu\"},\"chat_instance\":\"1\",\"data\":\"x\"}}";
        assertThat(UpdateTranslator.keyOf(press).orElseThrow().sentAt()).isEmpty();
        String blocked = "{\"update_id\":65,\"my_chat_member\":{" + PRIVATE_CHAT + "," + FROM + ",\"date\":1733760000,"
                + "\"old_chat_member\":{\"user\":{\"id\":7,\"is_bot\":true,\"first_name\":\"B\"},\"status\":\"member\"},"
                + "\"new_chat_member\":{\"user\":{\"id\":7,\"is_bot\":true,\"first_name\":\"B\"},\"status\":\"kicked\"}}}";
        assertThat(UpdateTranslator.keyOf(blocked).orElseThrow().sentAt()).contains(Instant.ofEpochSecond(1_733_760_000));
        String asked = "{\"update_id\":66,\"pre_checkout_query\":{\"id\":\"p\"," + FROM
                + ",\"currency\":\"XTR\",\"total_amount\":5,\"invoice_payload\":\"x\"}}";
        assertThat(UpdateTranslator.keyOf(asked).orElseThrow().sentAt()).isEmpty();
    }
}
