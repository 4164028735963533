extension Templates {
    static let branches = """
        <p>{{count}} branch(es); needing attention first. This page refreshes itself every 30 s (as of {{now}}).</p>
        <table id="branches"><thead><tr><th>Branch</th><th>Health</th><th>Window</th><th>Last contact</th>
        <th class="num">Last seq applied</th><th class="num">Lag</th><th>Held</th><th>Missing</th>
        <th class="num">Quarantined</th><th>Schema</th><th>Verdict</th><th class="num">Rows held</th></tr></thead><tbody>
        {{#rows}}<tr data-branch="{{id}}"><td><a href="/branches/{{id}}">{{id}}</a></td>
        <td class="h-{{health}}">{{healthLabel}}</td><td>{{window}}</td><td>{{lastContact}}</td>
        <td class="num">{{lastSequence}}</td><td class="num">{{lag}}</td><td>{{held}}</td><td>{{missing}}</td>
        <td class="num">{{quarantined}}</td><td>{{schema}}</td><td>{{verdict}}</td><td class="num">{{rows}}</td></tr>{{/rows}}
        </tbody></table>
        <p class="legend"><b>attention</b>: quarantined bundles, drift or a held schema change · <b>stuck</b>: a bundle is missing, later ones wait ·
        <b>overdue</b>: missed its last window · <b>late</b>: no window set and nothing for over a day ·
        <b>due</b>: its window is open, nothing yet · <b>waiting</b>: silent outside its window, as expected ·
        <b>in step</b>: heard from recently, nothing wrong.</p>
        """

    static let branch = """
        {{#row}}<p><a href="/sales?branch={{id}}">Sales of {{id}}</a> · health <b class="h-{{health}}">{{healthLabel}}</b> ·
        last sequence applied {{lastSequence}} · verdict {{verdict}} · rows {{rows}} · window {{window}}</p>
        {{#wentBack}}<p class="error went-back">{{.}}</p>{{/wentBack}}
        <h2>Held and missing</h2><p>Held (received, waiting for an earlier one): {{held}}<br>Missing: {{missing}}</p>
        {{#schemaHolds}}<p class="error schema-hold">Schema change held from sequence {{seq}} (table {{table}}, since {{held}}): {{detail}}.
        Accept it with <code>salesync schema accept --branch {{id}} --table {{table}}</code> (docs/schema-changes.md).</p>{{/schemaHolds}}{{/row}}
        <h2>Recent bundles</h2>
        <table id="bundles"><thead><tr><th class="num">Sequence</th><th class="num">Rows</th><th class="num">Bytes</th>
        <th>Received</th><th>Applied</th><th>Verdict</th></tr></thead><tbody>
        {{#bundles}}<tr><td class="num">{{seq}}</td><td class="num">{{rows}}</td><td class="num">{{bytes}}</td>
        <td>{{received}}</td><td>{{applied}}</td><td>{{verdict}}</td></tr>{{/bundles}}
        {{^bundles}}<tr><td colspan="6">none yet</td></tr>{{/bundles}}</tbody></table>
        <h2>Quarantine</h2>{{> quarantineTable}}
        """

    static let quarantine = """
        <p>Bundles the head office refused, with the reason. <b>Retry</b> puts one back into the inbox to be checked
        again from scratch (after fixing the cause, e.g. the branch's key); <b>Drop</b> gives it up (the branch is asked to send it again
        where it can). {{^mayAct}}You are a viewer: you can look, not act.{{/mayAct}}</p>
        {{> quarantineTable}}
        """

    static let quarantineTable = """
        <table id="quarantine"><thead><tr><th class="num">Id</th><th>Branch</th><th class="num">Seq</th><th>Received</th>
        <th>Reason</th><th>Header</th><th>Status</th><th>Action</th></tr></thead><tbody>
        {{#entries}}<tr data-id="{{id}}"><td class="num">{{id}}</td><td>{{branch}}</td><td class="num">{{seq}}</td><td>{{created}}</td>
        <td>{{reason}}</td><td><small>{{header}}</small><br><small>{{file}}</small></td><td>{{status}}{{#decidedBy}} by {{decidedBy}} at {{decidedAt}}{{/decidedBy}}</td>
        <td>{{#open}}{{#mayAct}}<form method="post" action="/quarantine/{{id}}/retry" class="inline"><input type="hidden" name="csrf" value="{{csrf}}">
        <button class="retry">Retry</button></form> <form method="post" action="/quarantine/{{id}}/drop" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}"><button class="drop">Drop</button></form>{{/mayAct}}{{/open}}</td></tr>{{/entries}}
        {{^entries}}<tr><td colspan="8">nothing quarantined</td></tr>{{/entries}}</tbody></table>
        """
}
