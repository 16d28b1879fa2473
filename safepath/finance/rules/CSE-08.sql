WITH sent AS (
    SELECT customer_id, txn_id, ts_epoch, cp_country FROM txn
    WHERE direction = 'out' AND channel IN ('msb_remittance', 'p2p', 'etransfer', 'wire')
      AND cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
), present AS (
    SELECT t.customer_id, t.txn_id, t.ts_epoch, t.cp_country FROM txn t LEFT JOIN cust k ON k.customer_id = t.customer_id
    WHERE t.direction = 'out' AND t.channel IN ('card_pos', 'cash_atm')
      AND t.cp_country IN (SELECT country FROM ref_country WHERE grp = 'cse_destinations')
      AND t.cp_country <> coalesce(k.residence_country, '')
), pairs AS (
    SELECT s.customer_id, s.txn_id AS sent_id, p.txn_id AS present_id FROM sent s JOIN present p
      ON p.customer_id = s.customer_id AND p.cp_country = s.cp_country
     AND p.ts_epoch > s.ts_epoch AND p.ts_epoch <= s.ts_epoch + {{window_days}} * 86400
)
SELECT customer_id, sent_id AS txn_id FROM pairs
UNION
SELECT customer_id, present_id AS txn_id FROM pairs
