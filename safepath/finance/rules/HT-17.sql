-- The victim's side of FINTRAC's 2021 alert: the account passes most of what it receives to
-- a controller, and the controller is linked to it (same phone, email or address: FinCEN T9).
-- Accounts are tied to customers through the transactions' account_id.
WITH ids AS (
    SELECT customer_id, 'phone' AS kind, phone_hash AS value FROM cust WHERE phone_hash IS NOT NULL
    UNION ALL SELECT customer_id, 'email', email_hash FROM cust WHERE email_hash IS NOT NULL
    UNION ALL SELECT customer_id, 'address', address_hash FROM cust WHERE address_hash IS NOT NULL
), links AS (
    SELECT DISTINCT a.customer_id, b.customer_id AS other
    FROM ids a JOIN ids b ON a.kind = b.kind AND a.value = b.value AND a.customer_id <> b.customer_id
), accounts AS (
    SELECT DISTINCT account_id, customer_id FROM txn WHERE account_id IS NOT NULL
), t AS (
    SELECT t.customer_id, t.txn_id, t.direction, t.amount_base, t.cp_account
    FROM txn t WHERE t.customer_id IN (SELECT customer_id FROM links)
), passed AS (
    SELECT t.customer_id, t.txn_id, t.amount_base
    FROM t JOIN accounts a ON a.account_id = t.cp_account
    JOIN links l ON l.customer_id = t.customer_id AND l.other = a.customer_id
    WHERE t.direction = 'out'
), credits AS (
    SELECT customer_id, sum(amount_base) AS total FROM t WHERE direction = 'in' GROUP BY customer_id
), b AS (
    SELECT p.customer_id FROM passed p JOIN credits c ON c.customer_id = p.customer_id
    GROUP BY p.customer_id
    HAVING count(*) >= {{min_count}} AND sum(p.amount_base) >= {{out_share}} * max(c.total)
)
SELECT p.customer_id, p.txn_id FROM passed p JOIN b ON b.customer_id = p.customer_id
