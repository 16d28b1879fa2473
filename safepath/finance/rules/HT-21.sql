-- Research s1.7 HT-21: a salary credit followed within {{hours_out}} h by at least {{out_ratio}}
-- of it going to ONE party (the employer taking it back, a recruiter, one repeated party), not
-- to rent, bills and shopping spread over many payees.
WITH sal AS (
    SELECT customer_id, txn_id, ts_epoch, amount_base FROM txn
    WHERE direction = 'in' AND (purpose_code = 'SALA' OR memo IN (SELECT memo FROM memo_grp WHERE grp = 'salary'))
), outs AS (
    SELECT customer_id, txn_id, ts_epoch, amount_base,
           coalesce(cp_account, cp_name, CASE WHEN channel IN ('cash_branch', 'cash_atm') THEN 'cash' END, txn_id) AS party
    FROM txn
    WHERE direction = 'out' AND customer_id IN (SELECT customer_id FROM sal)
      -- money handed over (transfers, cash out), not card purchases such as a flight
      AND channel NOT IN ('card_pos', 'card_cnp')
), taken AS (
    SELECT s.customer_id, s.txn_id, s.ts_epoch
    FROM sal s JOIN outs o ON o.customer_id = s.customer_id
      AND o.ts_epoch >= s.ts_epoch AND o.ts_epoch <= s.ts_epoch + {{hours_out}} * 3600
    GROUP BY s.customer_id, s.txn_id, s.ts_epoch, s.amount_base, o.party
    HAVING sum(o.amount_base) >= {{out_ratio}} * s.amount_base
), c AS (SELECT DISTINCT customer_id, txn_id, ts_epoch FROM taken
), w AS (
    SELECT customer_id, txn_id, ts_epoch,
           count(*) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN {{window_days}} * 86400 PRECEDING AND CURRENT ROW) AS n
    FROM c
), e AS (
    SELECT customer_id, txn_id,
           max(CASE WHEN n >= {{min_times}} THEN 1 ELSE 0 END) OVER (PARTITION BY customer_id ORDER BY ts_epoch
                          RANGE BETWEEN CURRENT ROW AND {{window_days}} * 86400 FOLLOWING) AS hit
    FROM w
)
SELECT customer_id, txn_id FROM e WHERE hit = 1
