extension Templates {
    /// The head office's Distribution view.
    static let distribution = """
        {{^enabled}}<p>No downlink is declared: add <code>[downlink] tables</code> to this head office's config (docs/downlink.md).</p>{{/enabled}}
        {{#enabled}}<h2>Tables</h2><ul id="downlink-tables">
        {{#tables}}<li data-table="{{name}}"{{^allCurrent}} class="behind"{{/allCurrent}}><b>{{name}}</b>: {{summary}}{{#behind}}; <span class="late">{{behind}}</span>{{/behind}}
        {{#drifted}}; <span class="error">drift at {{drifted}}</span>{{/drifted}}</li>{{/tables}}</ul>
        <h2>Branches</h2>
        <table id="downlink-branches"><thead><tr><th>Branch</th><th class="num">Pending</th><th class="num">Sent</th>
        <th class="num">Acknowledged</th><th>Last acknowledged</th><th class="num">Oldest unacknowledged</th><th>Verdicts</th><th>Resend</th></tr></thead><tbody>
        {{#branches}}<tr data-branch="{{id}}"><td>{{id}}</td><td class="num">{{pending}}</td><td class="num">{{sent}}</td>
        <td class="num">{{acknowledged}}</td><td>{{lastAcknowledged}}</td><td class="num">{{lag}}</td><td>{{verdicts}}</td>
        <td>{{resync}}</td></tr>{{/branches}}</tbody></table>
        <p class="legend">A table's version is the time of the head office's export that last changed it. A branch applies
        its bundles in its window; <b>drift</b> means the branch's copy differed from the head office's, which then sends
        it its whole copy again.</p>{{/enabled}}
        """

    /// A branch's Prices page.
    static let prices = """
        <form method="get" action="/prices" id="prices-filter"><fieldset><legend>Price list</legend>
        <label>Product contains <input name="q" id="p-q" value="{{q}}"></label>
        <label>In force on <input type="date" name="date" id="p-date" value="{{date}}"></label> <button id="p-apply">Show</button></fieldset></form>
        <p id="received">{{received}}</p>
        <table id="prices"><thead><tr><th>Product</th><th class="num">Price</th><th>Since</th><th class="num">Tax %</th></tr></thead><tbody>
        {{#lines}}<tr><td>{{name}}</td><td class="num">{{price}}</td><td>{{since}}</td><td class="num">{{taxRate}}</td></tr>{{/lines}}
        {{^lines}}<tr><td colspan="4">No product yet: the head office's catalogue arrives with the next window.</td></tr>{{/lines}}
        </tbody></table>{{#more}}<p>More products match: narrow the search.</p>{{/more}}
        <p class="legend">The head office's prices, as the last downlink bundle brought them; a sale takes the price in force on its date.</p>
        """
}
