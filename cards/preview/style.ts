/** The gallery's look: each platform's card chrome, close enough to judge layout, colour and wording. */
export const GALLERY_CSS = `
:root{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei","Segoe UI",sans-serif;color:#1f2329;background:#f2f3f5}
body{margin:0;padding:0 24px 48px}
.top{padding:16px 0}.top nav{display:flex;flex-wrap:wrap;gap:6px}.top nav a{font-size:12px;background:#fff;border-radius:4px;padding:2px 6px;color:#3370ff;text-decoration:none}
.case{margin:28px 0}.case h2{margin:0 0 4px;font-size:18px}.case h2 small{color:#8f959e;font-weight:normal}.about{margin:0 0 10px;color:#646a73;font-size:13px}
.grid{display:grid;grid-template-columns:repeat(4,minmax(300px,1fr));gap:16px;align-items:start}
.cell h3{font-size:13px;color:#646a73;margin:0 0 6px;font-weight:600}.cell h4.fallback{font-size:12px;color:#8f959e;margin:12px 0 4px}
.card{background:#fff;border-radius:8px;box-shadow:0 1px 4px rgba(31,35,41,.12);overflow:hidden;font-size:14px;line-height:1.55}
.card .head{background:var(--h);color:#fff;padding:12px 14px}.card .title{font-weight:600;font-size:16px}.card .sub{opacity:.9;font-size:13px;margin-top:2px}
.card .tags{margin-top:6px;display:flex;gap:6px;flex-wrap:wrap}.card .tag{font-size:12px;border-radius:4px;padding:0 6px;background:#fff;color:var(--c)}
.card.dingtalk .tag{background:rgba(255,255,255,.2);color:#fff}
.card .body{padding:10px 14px}.card .md p{margin:4px 0}.card .md h4{margin:4px 0;font-size:15px}.card hr{border:0;border-top:1px solid #dee0e3;margin:8px 0}
.card .row{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.btn{border:1px solid #d0d3d6;background:#fff;border-radius:6px;padding:4px 12px;font-size:14px;color:#1f2329}
.btn.primary{background:#3370ff;border-color:#3370ff;color:#fff}.btn.danger{color:#f54a45;border-color:#f54a45}
.form{border:1px solid #dee0e3;border-radius:6px;padding:8px 10px;margin:8px 0;display:flex;flex-direction:column;gap:6px}
.form input,.form textarea,.form select{font:inherit;padding:4px 6px;border:1px solid #d0d3d6;border-radius:4px}.form textarea{min-height:60px}.form label{font-size:13px;color:#646a73}
.at{color:#3370ff;background:#e1eaff;border-radius:4px;padding:0 3px}
.card.dingtalk .head{border-radius:0}.card.dingtalk .btn.primary{background:#0089ff;border-color:#0089ff}
.card.dingmsg .actioncard{display:flex;border-top:1px solid #eee}.card.dingmsg .actioncard a{flex:1;text-align:center;padding:8px;color:#0089ff;text-decoration:none;border-left:1px solid #eee}
.card.teams{padding:0}.card.teams .ac{min-height:40px}
.plain{white-space:pre-wrap;background:#fff;border-radius:8px;padding:10px 12px;font-size:12px;margin:0;box-shadow:0 1px 4px rgba(31,35,41,.12)}
`;

/**
 * Renders each Teams card with the official Adaptive Cards library. Teams' markdown (bold, links, <at>
 * mentions) is drawn by a small processor, since the library leaves markdown to its host.
 */
export const TEAMS_SCRIPT = `
(function(){
  var AC = window.AdaptiveCards;
  if (!AC) { document.querySelectorAll(".ac").forEach(function(el){ el.textContent = "Adaptive Cards bundle not loaded"; }); return; }
  function esc(s){ return s.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;"); }
  AC.AdaptiveCard.onProcessMarkdown = function(text, result){
    var html = esc(text)
      .replace(/&lt;at&gt;(.*?)&lt;\\/at&gt;/g, '<span class="at">@$1</span>')
      .replace(/\\*\\*(.+?)\\*\\*/g, "<strong>$1</strong>")
      .replace(/\\[([^\\]]+)\\]\\((https?:\\/\\/[^)\\s]+)\\)/g, '<a href="$2">$1</a>')
      .replace(/\\n/g, "<br>");
    result.outputHtml = html; result.didProcess = true;
  };
  var host = new AC.HostConfig({
    fontFamily: "Segoe UI, PingFang SC, Noto Sans CJK SC, sans-serif",
    containerStyles: {
      default: { backgroundColor: "#FFFFFF", foregroundColors: { default: { default: "#242424", subtle: "#616161" }, accent: { default: "#5B5FC7" }, attention: { default: "#C4314B" }, warning: { default: "#C25E00" }, good: { default: "#237B4B" } } },
      emphasis: { backgroundColor: "#F0F0F0" }, accent: { backgroundColor: "#E8EBFA" }, attention: { backgroundColor: "#FCF4F6" }, warning: { backgroundColor: "#FBF6D9" }, good: { backgroundColor: "#E7F2DA" }
    },
    actions: { maxActions: 8, buttonSpacing: 8, actionsOrientation: "horizontal", actionAlignment: "left", showCard: { actionMode: "inline", inlineTopMargin: 8 } },
    spacing: { small: 4, default: 8, medium: 16, large: 24, extraLarge: 32, padding: 12 }
  });
  document.querySelectorAll(".ac[data-card]").forEach(function(el){
    var source = document.getElementById("ac-" + el.getAttribute("data-card"));
    try {
      var card = new AC.AdaptiveCard(); card.hostConfig = host;
      card.parse(JSON.parse(source.textContent));
      var rendered = card.render(); if (rendered) el.appendChild(rendered);
    } catch (e) { el.textContent = "render failed: " + e; }
  });
})();
`;
