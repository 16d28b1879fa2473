SELECT customer_id, txn_id FROM txn
WHERE direction = 'out' AND crypto_tag IN {{tags}}
