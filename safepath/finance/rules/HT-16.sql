-- FinCEN FIN-2020-A008 N4: regular cash deposits with no card or ACH receipts where the sector
-- would have them. More than cash_share of a business's credits in cash leaves card and ACH
-- receipts under the rest; a few card payments do not clear a business that is almost all cash
-- (issue 20: the earlier "not one card or ACH credit" let a single card payment hide a front).
WITH t AS (
    SELECT t.customer_id, t.txn_id, t.channel, t.amount_base, floor(t.ts_epoch / ({{window_days}} * 86400)) AS bucket
    FROM txn t JOIN cust c ON c.customer_id = t.customer_id
    WHERE c.customer_type = 'business' AND t.direction = 'in'
), b AS (
    SELECT customer_id, bucket FROM t GROUP BY customer_id, bucket
    HAVING sum(amount_base) >= {{min_credits}}
       AND sum(CASE WHEN channel IN ('cash_branch', 'cash_atm') THEN amount_base ELSE 0 END) > {{cash_share}} * sum(amount_base)
)
SELECT t.customer_id, t.txn_id FROM t JOIN b ON t.customer_id = b.customer_id AND t.bucket = b.bucket
WHERE t.channel IN ('cash_branch', 'cash_atm')
