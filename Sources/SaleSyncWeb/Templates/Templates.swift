/// The console's Mustache templates, compiled into the binary (a branch PC gets one file, and no
/// page needs anything from the network). `{{x}}` escapes; `{{{x}}}` is used only for markup the
/// server built itself (a rendered body, the SVG chart).
enum Templates {
    /// The layout, the pages rendered outside it, and partials.
    static let parts: [String: String] = [
        "layout": layout, "login": login, "error": error, "quarantineTable": quarantineTable,
    ]
    /// The pages `Pages.page` renders with a view model.
    static let pages: [String: String] = [
        "branches": branches, "branch": branch, "quarantine": quarantine, "sales": sales, "edit": edit, "sync": sync,
        "distribution": distribution, "prices": prices,
    ]

    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#refresh}}<meta http-equiv="refresh" content="{{refresh}}">{{/refresh}}
        <title>{{title}} · salesync {{site}}</title>
        <style>\(style)</style></head>
        <body><header><strong>salesync</strong> <span class="site">{{site}} ({{roleLabel}})</span>
        <nav>{{#nav}}<a href="{{href}}"{{#active}} class="active"{{/active}}>{{label}}</a>{{/nav}}</nav>
        {{#user}}<form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="{{csrf}}">
        <span>{{user}} · {{userRole}}</span> <button>Sign out</button></form>{{/user}}</header>
        <main><h1>{{title}}</h1>
        {{#notice}}<p class="notice" id="notice">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" id="error">{{error}}</p>{{/error}}
        {{{body}}}</main></body></html>
        """

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1a202c;background:#f7fafc}
        header{display:flex;gap:1.5em;align-items:center;background:#1a365d;color:#fff;padding:.6em 1em}
        header a{color:#bee3f8;margin-right:1em;text-decoration:none}header a.active{color:#fff;font-weight:bold}
        .logout{margin-left:auto}main{padding:1em 1.5em}h1{font-size:1.4em;margin:.2em 0 .6em}
        table{border-collapse:collapse;background:#fff;margin:.5em 0}th,td{border:1px solid #e2e8f0;padding:.25em .6em;text-align:left}
        th{background:#edf2f7}td.num,th.num{text-align:right}tr.totals td{font-weight:bold;background:#fefcbf}
        .notice{background:#c6f6d5;padding:.5em}.error{background:#fed7d7;padding:.5em}
        .h-attention,.h-stuck,.h-overdue{color:#c53030;font-weight:bold}.h-late{color:#c05621;font-weight:bold}
        .h-waiting{color:#4a5568}.h-in-step,.h-syncing{color:#2f855a}
        form.inline{display:inline}fieldset{border:1px solid #cbd5e0;margin:.5em 0;background:#fff}
        label{display:inline-block;margin:.2em .8em .2em 0}input,select,button{font:inherit}
        .pager a{margin-right:.6em}.chart{width:100%;max-width:900px;background:#fff;border:1px solid #e2e8f0}
        pre{background:#fff;border:1px solid #e2e8f0;padding:.5em;max-height:20em;overflow:auto}
        """

    static let login = """
        <form method="post" action="/login" id="login">
        <input type="hidden" name="csrf" value="{{loginToken}}"><input type="hidden" name="next" value="{{next}}">
        <p><label>User <input name="user" autocomplete="username" autofocus></label></p>
        <p><label>Password <input name="password" type="password" autocomplete="current-password"></label></p>
        <p><button id="signin">Sign in</button></p></form>
        """

    static let error = """
        <p class="error" id="error">{{message}}</p><p><a href="/">Back</a></p>
        """
}
