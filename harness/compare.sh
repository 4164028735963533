# Sourced by the harness scripts. same_rows BRANCH_DB HO_DB SITE: succeeds when the head office
# holds exactly the branch's product_sales rows (count and content hash), else says what differs.
same_rows() {
    local digest="SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', id, sale_date, region, product, qty, cost, amt, tax, total))), 0) FROM product_sales"
    local b h
    b=$("$ROOT/scripts/services.sh" mariadb -N "$1" -e "$digest")
    h=$("$ROOT/scripts/services.sh" mariadb -N "$2" -e "$digest WHERE branch_id = '$3'")
    [ "$b" = "$h" ] || { echo "branch $3 has $b, head office $h" >&2; return 1; }
    echo "$b"
}
