-- Every user's free uses of a day counted together (FREE_DAILY_TOTAL): by day, not by user first.
CREATE INDEX free_uses_by_day ON free_uses (day);
