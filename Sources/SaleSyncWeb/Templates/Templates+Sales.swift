extension Templates {
    static let sales = """
        <form method="get" action="/sales" id="filter"><fieldset><legend>Filter</legend>
        {{#manyTables}}<label>Table <select name="table">{{#tables}}<option{{#selected}} selected{{/selected}}>{{label}}</option>{{/tables}}</select></label>{{/manyTables}}
        {{^manyTables}}<input type="hidden" name="table" value="{{table}}">{{/manyTables}}
        {{#hasBranches}}<label>Branch <select name="branch" id="f-branch"><option value="">all</option>
        {{#branchChoices}}<option{{#selected}} selected{{/selected}}>{{label}}</option>{{/branchChoices}}</select></label>{{/hasBranches}}
        {{#dateColumn}}<label>{{dateColumn}} from <input type="date" name="from" id="f-from" value="{{from}}"></label>
        <label>to <input type="date" name="to" id="f-to" value="{{to}}"></label>{{/dateColumn}}
        <label>Contains <input name="q" id="f-q" value="{{q}}" placeholder="any text column"></label>
        <label>Group by <select name="group" id="f-group"><option value="">no grouping</option>
        {{#groupChoices}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/groupChoices}}</select></label>
        <button id="apply">Apply</button> <a href="/sales.csv?{{csvQuery}}" id="csv">Download CSV</a></fieldset></form>
        {{#addForm}}<form method="post" action="/sales" id="add"><fieldset><legend>Add a sale</legend>
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="table" value="{{table}}">
        {{#inputs}}<label>{{name}}{{#required}}*{{/required}} <input name="{{name}}" id="add-{{name}}" value="{{value}}" {{#isDate}}type="date"{{/isDate}}
        title="{{type}}" size="{{size}}"{{#list}} list="{{list}}" autocomplete="off"{{/list}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}></label>{{/inputs}}
        {{#hasCatalogue}}<datalist id="catalogue">{{#catalogue}}<option value="{{.}}">{{/catalogue}}</datalist>{{/hasCatalogue}}
        {{#hasCatalogue}}<p class="legend">Pick the product from the head office's catalogue: the server takes its price in force on the
        sale's date and computes amount, tax and total.</p>{{/hasCatalogue}}
        <button id="add-button">Add</button></fieldset></form>{{/addForm}}
        {{#hasGroups}}<h2>Grouped by {{groupLabel}}</h2><table id="grouped"><thead><tr><th>{{groupLabel}}</th><th class="num">Rows</th>
        {{#measures}}<th class="num">{{.}}</th>{{/measures}}</tr></thead><tbody>
        {{#groupRows}}<tr><td>{{group}}</td><td class="num">{{rows}}</td>{{#sums}}<td class="num">{{.}}</td>{{/sums}}</tr>{{/groupRows}}
        </tbody></table>{{/hasGroups}}
        <p id="summary">{{totalRows}} row(s) match; page {{page}} of {{pages}}.</p>
        <table id="sales"><thead><tr>{{#headers}}<th{{#numeric}} class="num"{{/numeric}}><a href="/sales?{{sortQuery}}">{{name}}{{arrow}}</a></th>{{/headers}}
        {{#editable}}<th>Actions</th>{{/editable}}</tr></thead><tbody>
        {{#rows}}<tr>{{#cells}}<td{{#numeric}} class="num"{{/numeric}}>{{value}}</td>{{/cells}}
        {{#editable}}<td><a href="/sales/edit?table={{table}}&amp;key={{keyParam}}" class="edit">Edit</a>
        <form method="post" action="/sales/delete" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="table" value="{{table}}"><input type="hidden" name="key" value="{{key}}"><button class="delete">Delete</button></form></td>{{/editable}}</tr>{{/rows}}
        <tr class="totals" id="totals">{{#totalsCells}}<td{{#numeric}} class="num"{{/numeric}}>{{value}}</td>{{/totalsCells}}{{#editable}}<td></td>{{/editable}}</tr>
        </tbody></table>
        <p class="pager">{{#prevQuery}}<a href="/sales?{{prevQuery}}" id="prev">« previous</a>{{/prevQuery}}
        {{#nextQuery}}<a href="/sales?{{nextQuery}}" id="next">next »</a>{{/nextQuery}}</p>
        {{#chart}}<h2>{{chartTitle}}</h2>{{{chart}}}{{/chart}}
        """

    static let edit = """
        <form method="post" action="/sales/update" id="edit"><input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="table" value="{{table}}"><input type="hidden" name="key" value="{{key}}">
        {{#inputs}}<p><label>{{name}}{{#required}}*{{/required}} <input name="{{name}}" id="edit-{{name}}" value="{{value}}"
        {{#isDate}}type="date"{{/isDate}} title="{{type}}" size="{{size}}"{{#list}} list="{{list}}" autocomplete="off"{{/list}}{{#placeholder}} placeholder="{{placeholder}}"{{/placeholder}}></label></p>{{/inputs}}
        {{#hasCatalogue}}<datalist id="catalogue">{{#catalogue}}<option value="{{.}}">{{/catalogue}}</datalist>{{/hasCatalogue}}
        <p><button id="save">Save</button> <a href="/sales?table={{table}}">Cancel</a></p></form>
        """

    static let sync = """
        {{#wentBack}}<p class="error went-back">{{.}}</p>{{/wentBack}}
        <table id="sync-status"><tbody>
        <tr><th>Changes not yet exported</th><td id="unexported">{{unexported}}</td></tr>
        <tr><th>Bundles pending / sent / acknowledged / rejected</th><td id="bundle-counts">{{pending}} / {{sent}} / {{acked}} / {{rejected}}</td></tr>
        <tr><th>Last sequence</th><td>{{lastSequence}}</td></tr>
        <tr><th>Oldest unacknowledged</th><td>{{oldest}}</td></tr>
        <tr><th>Last run</th><td id="last-run">{{lastRun}}</td></tr>
        <tr><th>Head office's last verdict</th><td id="verdict">{{verdict}}</td></tr>
        <tr><th>Next window</th><td>{{nextWindow}}</td></tr></tbody></table>
        {{#job}}<h2>{{title}}: <span id="job-outcome">{{outcome}}</span></h2><p>started {{started}} by {{user}}{{#ended}}, ended {{ended}}{{/ended}}</p>
        <pre id="job-log">{{log}}</pre>{{/job}}
        {{#mayAct}}{{#rejoin}}<form method="post" action="/sync/rejoin"><input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Rejoin</legend><p>Makes this branch whole again from the head office's copy of its sales and numbers its
        bundles on; every row it settles is listed below (docs/operations.md). {{copy}}.</p>
        <button id="rejoin"{{#busy}} disabled{{/busy}}>Rejoin</button></fieldset></form>{{/rejoin}}{{/mayAct}}
        {{#lastRejoin}}<h2>Last rejoin: epoch {{epoch}}, {{at}}</h2><pre id="rejoin-report">{{report}}</pre>{{/lastRejoin}}
        {{#mayAct}}<form method="post" action="/sync/now" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Sync now</legend><label>Stop after <select name="duration"><option>2m</option><option>10m</option><option>30m</option><option>60m</option></select></label>
        <button id="sync-now"{{#busy}} disabled{{/busy}}>Sync now</button> (export, send, wait briefly for acknowledgements)</fieldset></form>
        <form method="post" action="/sync/usb-export"><input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Export to USB</legend><label>Directory <input name="dir" id="usb-dir" size="40" placeholder="/media/usb/salesync"></label>
        <button id="usb-export"{{#busy}} disabled{{/busy}}>Export to USB</button></fieldset></form>
        <form method="post" action="/sync/usb-acks"><input type="hidden" name="csrf" value="{{csrf}}">
        <fieldset><legend>Import acknowledgements from USB</legend><label>Directory <input name="dir" id="acks-dir" size="40" placeholder="/media/usb/salesync"></label>
        <button id="usb-acks"{{#busy}} disabled{{/busy}}>Import acks</button></fieldset></form>{{/mayAct}}
        <h2>Recent bundles</h2><table id="bundles"><thead><tr><th class="num">Seq</th><th>Status</th><th class="num">Rows</th><th class="num">Bytes</th><th>Detail</th></tr></thead><tbody>
        {{#bundles}}<tr><td class="num">{{sequence}}</td><td>{{status}}</td><td class="num">{{rows}}</td><td class="num">{{bytes}}</td><td>{{detail}}</td></tr>{{/bundles}}
        </tbody></table>
        """
}
