-- A referral bonus taken back when the friend's payment went back to him (TransferKind.REFERRAL_REVERSAL).
ALTER TYPE ledger_kind ADD VALUE 'REFERRAL_REVERSAL' AFTER 'REFERRAL_BONUS';
