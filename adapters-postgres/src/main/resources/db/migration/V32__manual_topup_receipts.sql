-- The content of every receipt a card / SBP request got (Telegram's file_unique_id: the same when a photo is sent
-- again or forwarded, unlike the file id kept in manual_topups.receipt_file_id). One transfer's receipt sent for two
-- requests is found by it, and every admin's message about both says so before they credit it twice. Each receipt's
-- row, not only the last one's: a receipt sent again and then replaced by another picture is still found.
CREATE TABLE IF NOT EXISTS manual_topup_receipts (
    request_id bigint NOT NULL REFERENCES manual_topups (id),
    unique_id  text   NOT NULL,
    PRIMARY KEY (request_id, unique_id)
);
-- the other requests that got the same receipt, found without reading them all
CREATE INDEX IF NOT EXISTS manual_topup_receipts_unique ON manual_topup_receipts (unique_id);
