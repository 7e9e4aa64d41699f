<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AccountsDialog</name>
    <message>
        <source>Accounts</source>
        <translation>账号管理</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name shown</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>上次登录</translation>
    </message>
    <message>
        <source>New account…</source>
        <translation>新建账号…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>An account that is switched off cannot log in; its records and audit entries stay. Every change here is written to the audit log.</source>
        <translation>停用的账号不能再登录，但其录入的记录和审计日志都会保留。这里的每项改动都记入审计日志。</translation>
    </message>
    <message>
        <source>Switched off</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>Must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Switch off the account {username} ({name})? They can no longer log in; their records stay.</source>
        <translation>要停用账号 {username}（{name}）吗？停用后不能再登录，其录入的记录会保留。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>AcrossStationsPanel</name>
    <message>
        <source>People served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>People held by more than one station, matched by ID number (also between a station that sends full records and one that sends de-identified data). ID numbers are shown masked; a de-identified station&apos;s name is its code name.</source>
        <translation>在多个站点都有记录的人员，按身份证号匹配（发送完整记录的站点与发送去标识化数据的站点之间也能匹配）。身份证号只显示遮蔽后的号码；去标识化数据中的姓名显示为代号。</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>个案数</translation>
    </message>
    <message>
        <source>Service entries</source>
        <translation>服务记录数</translation>
    </message>
    <message>
        <source>ID number (masked)</source>
        <translation>身份证号（已遮蔽）</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Name held</source>
        <translation>所记姓名</translation>
    </message>
    <message>
        <source>Records from</source>
        <translation>数据来源</translation>
    </message>
    <message>
        <source>Full records</source>
        <translation>完整记录</translation>
    </message>
    <message>
        <source>De-identified</source>
        <translation>去标识化</translation>
    </message>
    <message>
        <source>{count} stations</source>
        <translation>{count} 个站点</translation>
    </message>
    <message>
        <source>No one is held by more than one station.</source>
        <translation>没有在多个站点都有记录的人员。</translation>
    </message>
    <message>
        <source>{count} people served by more than one station.</source>
        <translation>共 {count} 位服务对象在多个站点有记录。</translation>
    </message>
    <message>
        <source>{count} volunteers registered at more than one station.</source>
        <translation>共 {count} 名志愿者在多个站点登记。</translation>
    </message>
</context>
<context>
    <name>ActivitiesList</name>
    <message>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Search: title, place or activity number</source>
        <translation>搜索：活动名称、地点或活动编号</translation>
    </message>
    <message>
        <source>activities</source>
        <translation>活动列表</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Activity number</source>
        <translation>活动编号</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Service areas</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Social workers</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Caring people</source>
        <translation>爱心人士</translation>
    </message>
    <message>
        <source>Beneficiaries</source>
        <translation>受益人次</translation>
    </message>
</context>
<context>
    <name>ActivitiesPage</name>
    <message>
        <source>Activity {no} created.</source>
        <translation>已创建活动 {no}。</translation>
    </message>
    <message>
        <source>Open an activity to print its sign-in sheet or its record.</source>
        <translation>请先打开一个活动，再打印签到表或活动记录表。</translation>
    </message>
</context>
<context>
    <name>ActivityForm</name>
    <message>
        <source>New activity</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <source>Edit the activity</source>
        <translation>修改活动</translation>
    </message>
    <message>
        <source>e.g. 09:00</source>
        <translation>如 09:00</translation>
    </message>
    <message>
        <source>e.g. 11:30</source>
        <translation>如 11:30</translation>
    </message>
    <message>
        <source>Service areas</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <source>Target groups</source>
        <translation>服务对象类别</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Five-society party</source>
        <translation>五社类别</translation>
    </message>
    <message>
        <source>Add an organiser</source>
        <translation>添加单位</translation>
    </message>
    <message>
        <source>Remove the selected organiser</source>
        <translation>删除选中的单位</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <source>Activity type</source>
        <translation>活动类型</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Time (optional)</source>
        <translation>时间（可不填）</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Village or community</source>
        <translation>所属村（社区）</translation>
    </message>
    <message>
        <source>Objectives</source>
        <translation>活动目标</translation>
    </message>
    <message>
        <source>Who took part (person-times)</source>
        <translation>参与人次</translation>
    </message>
    <message>
        <source>Organisers (five-society linkage)</source>
        <translation>主办、承办、协办单位（五社联动）</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>活动总结</translation>
    </message>
    <message>
        <source>Type the time like 09:30.</source>
        <translation>时间请按 09:30 的格式填写。</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>activity record</source>
        <translation>活动记录</translation>
    </message>
</context>
<context>
    <name>ActivityLabels</name>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Social organisation</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <source>Social workers</source>
        <translation>社会工作者</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Charity resources</source>
        <translation>慈善资源</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>主办</translation>
    </message>
    <message>
        <source>Organiser</source>
        <translation>承办</translation>
    </message>
    <message>
        <source>Partner</source>
        <translation>协办</translation>
    </message>
    <message>
        <source>Served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Caring person</source>
        <translation>爱心人士</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Caring people</source>
        <translation>爱心人士</translation>
    </message>
    <message>
        <source>Case clients</source>
        <translation>个案服务对象</translation>
    </message>
    <message>
        <source>Others</source>
        <translation>其他人员</translation>
    </message>
    <message>
        <source>Beneficiaries (person-times)</source>
        <translation>受益人次</translation>
    </message>
    <message>
        <source>Blank sign-in sheet</source>
        <translation>空白签到表</translation>
    </message>
    <message>
        <source>How many numbered rows?</source>
        <translation>需要多少行（带序号）？</translation>
    </message>
</context>
<context>
    <name>ActivityPanel</name>
    <message>
        <source>◀ Back to the list</source>
        <translation>◀ 返回列表</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Blank sign-in sheet…</source>
        <translation>空白签到表…</translation>
    </message>
    <message>
        <source>Sign-in sheet with the roster</source>
        <translation>签到表（含名单）</translation>
    </message>
    <message>
        <source>Activity record</source>
        <translation>活动记录表</translation>
    </message>
    <message>
        <source>Find a person served or a volunteer: name, pinyin initials, ID tail</source>
        <translation>查找服务对象或志愿者：姓名、拼音首字母、证件号后几位</translation>
    </message>
    <message>
        <source>Add to the roster</source>
        <translation>加入签到名单</translation>
    </message>
    <message>
        <source>New face…</source>
        <translation>新面孔…</translation>
    </message>
    <message>
        <source>Came</source>
        <translation>到场</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Took part as</source>
        <translation>参与身份</translation>
    </message>
    <message>
        <source>Registered as</source>
        <translation>登记类别</translation>
    </message>
    <message>
        <source>Take off the roster</source>
        <translation>移出名单</translation>
    </message>
    <message>
        <source>Enter hours for the volunteers…</source>
        <translation>录入志愿者服务时长…</translation>
    </message>
    <message>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Sign-out</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>Hours counted</source>
        <translation>计入时长（小时）</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Record a donation for this activity…</source>
        <translation>登记本活动的捐赠…</translation>
    </message>
    <message>
        <source>Ledger number</source>
        <translation>台账编号</translation>
    </message>
    <message>
        <source>Donor</source>
        <translation>捐赠人</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Value (yuan)</source>
        <translation>价值（元）</translation>
    </message>
    <message>
        <source>Sign-in roster</source>
        <translation>签到名单</translation>
    </message>
    <message>
        <source>Volunteer hours</source>
        <translation>志愿服务时长</translation>
    </message>
    <message>
        <source>Donations</source>
        <translation>捐赠</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>{title} ({no})</source>
        <translation>{title}（{no}）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>活动类型</translation>
    </message>
    <message>
        <source>Service areas</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <source>Target groups</source>
        <translation>服务对象类别</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>日期时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>{role}: {name} ({party})</source>
        <translation>{role}：{name}（{party}）</translation>
    </message>
    <message>
        <source>{label}: {count}</source>
        <translation>{label}：{count}</translation>
    </message>
    <message>
        <source>Person served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Name only</source>
        <translation>仅姓名</translation>
    </message>
    <message>
        <source>{total} on the roster, {came} ticked as present.</source>
        <translation>名单共 {total} 人，已勾选到场 {came} 人。</translation>
    </message>
    <message>
        <source>{volunteers} volunteers on the roster; {lines} hour lines entered: {confirmed} hours confirmed, {pending} hours awaiting confirmation.</source>
        <translation>名单中有志愿者 {volunteers} 人；已录入时长 {lines} 条：已审核 {confirmed} 小时，待审核 {pending} 小时。</translation>
    </message>
    <message>
        <source>{name} · volunteer {no}</source>
        <translation>{name} · 志愿者 {no}</translation>
    </message>
    <message>
        <source>{name} · person served, {age} years</source>
        <translation>{name} · 服务对象，{age} 岁</translation>
    </message>
    <message>
        <source>{name} · person served</source>
        <translation>{name} · 服务对象</translation>
    </message>
    <message>
        <source>Search for someone and select them first.</source>
        <translation>请先搜索并选中要加入的人。</translation>
    </message>
    <message>
        <source>Added to the roster.</source>
        <translation>已加入签到名单。</translation>
    </message>
    <message>
        <source>Taken off the roster.</source>
        <translation>已移出签到名单。</translation>
    </message>
    <message>
        <source>No volunteer is on the roster yet. Add the volunteers who came on the Sign-in roster tab first.</source>
        <translation>签到名单中还没有志愿者。请先在“签到名单”页把到场的志愿者加进来。</translation>
    </message>
    <message>
        <source>Hours saved for {count} volunteers.</source>
        <translation>已保存 {count} 位志愿者的服务时长。</translation>
    </message>
    <message>
        <source>Recorded in the ledger as {no}.</source>
        <translation>已登记入台账，编号 {no}。</translation>
    </message>
    <message>
        <source>Blank sign-in sheet</source>
        <translation>空白签到表</translation>
    </message>
    <message>
        <source>Sign-in sheet</source>
        <translation>签到表</translation>
    </message>
    <message>
        <source>Organisers</source>
        <translation>主办、承办、协办单位</translation>
    </message>
    <message>
        <source>Who took part (person-times)</source>
        <translation>参与人次</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>活动总结</translation>
    </message>
    <message>
        <source>As registered (served or volunteer)</source>
        <translation>按登记身份（服务对象或志愿者）</translation>
    </message>
    <message>
        <source>sign-in-sheet-{no}</source>
        <translation>签到表-{no}</translation>
    </message>
    <message>
        <source>activity-{no}</source>
        <translation>活动记录表-{no}</translation>
    </message>
</context>
<context>
    <name>AssessmentDialog</name>
    <message>
        <source>Needs assessment</source>
        <translation>需求评估</translation>
    </message>
    <message>
        <source>The main problems and needs, in a few sentences</source>
        <translation>用几句话概括主要问题与需求</translation>
    </message>
    <message>
        <source>Need</source>
        <translation>需求</translation>
    </message>
    <message>
        <source>Priority (1 = first)</source>
        <translation>优先级（1 最优先）</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>量表</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Signs that a child is harmed or neglected (mandatory report, Minors Protection Law Art. 11)</source>
        <translation>发现儿童疑似受到侵害或被疏于照顾（强制报告，《未成年人保护法》第十一条）</translation>
    </message>
    <message>
        <source>Assessed on</source>
        <translation>评估日期</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>评估摘要</translation>
    </message>
    <message>
        <source>Situation</source>
        <translation>各方面情况</translation>
    </message>
    <message>
        <source>Needs</source>
        <translation>需求清单</translation>
    </message>
    <message>
        <source>Scales</source>
        <translation>评估量表</translation>
    </message>
    <message>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Physical health</source>
        <translation>身体健康</translation>
    </message>
    <message>
        <source>Psychological</source>
        <translation>心理情绪</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>家庭关系</translation>
    </message>
    <message>
        <source>Economic</source>
        <translation>经济状况</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>居住情况</translation>
    </message>
    <message>
        <source>Social support</source>
        <translation>社会支持</translation>
    </message>
    <message>
        <source>School or work</source>
        <translation>就学就业</translation>
    </message>
    <message>
        <source>Strengths and resources</source>
        <translation>优势与资源</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <source>Audit log</source>
        <extracomment>Rows per page. Days shown when the viewer opens.</extracomment>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Checking the audit chain…</source>
        <translation>正在核对审计链…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record kind</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Audit chain verified: all {count} entries are intact.</source>
        <translation>审计链核对无误：全部 {count} 条记录完整。</translation>
    </message>
    <message>
        <source>Audit chain broken at entry {seq}: this entry or the one before it was changed outside the program. Tell the banner centre.</source>
        <translation>审计链在第 {seq} 条处断开：这一条或它前面的记录被程序以外的方式改动过。请报告旗县社会工作服务中心。</translation>
    </message>
    <message>
        <source>Page {page} of {pages} ({count} entries)</source>
        <translation>第 {page} 页，共 {pages} 页（{count} 条）</translation>
    </message>
    <message>
        <source>Logged in</source>
        <extracomment>Qt&apos;s translate under the name lupdate looks for (the context is written in each call).</extracomment>
        <translation>登录</translation>
    </message>
    <message>
        <source>Wrong password</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>Account locked</source>
        <translation>账号被锁定</translation>
    </message>
    <message>
        <source>Login refused</source>
        <translation>拒绝登录</translation>
    </message>
    <message>
        <source>Changed password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Password change failed</source>
        <translation>修改密码失败</translation>
    </message>
    <message>
        <source>Password reset by the head</source>
        <translation>站长重置密码</translation>
    </message>
    <message>
        <source>Password reset with the recovery passphrase</source>
        <translation>用恢复口令重置密码</translation>
    </message>
    <message>
        <source>Wrong recovery passphrase</source>
        <translation>恢复口令错误</translation>
    </message>
    <message>
        <source>Account created</source>
        <translation>新建账号</translation>
    </message>
    <message>
        <source>Account switched on</source>
        <translation>启用账号</translation>
    </message>
    <message>
        <source>Account switched off</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Sent back</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Full ID shown</source>
        <translation>显示完整证件号</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Backed up</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Restored from backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>Bulk change</source>
        <translation>批量处理</translation>
    </message>
    <message>
        <source>Station set up</source>
        <translation>建站</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Receipt from the centre read</source>
        <translation>导入中心回执</translation>
    </message>
    <message>
        <source>Cases handed over</source>
        <translation>移交个案</translation>
    </message>
    <message>
        <source>Key card saved</source>
        <translation>导出密钥卡</translation>
    </message>
    <message>
        <source>Centre key card read</source>
        <translation>导入中心密钥卡</translation>
    </message>
    <message>
        <source>Station key changed</source>
        <translation>更换本站密钥</translation>
    </message>
    <message>
        <source>Station key trusted</source>
        <translation>登记社工站密钥</translation>
    </message>
    <message>
        <source>Station key withdrawn</source>
        <translation>吊销社工站密钥</translation>
    </message>
    <message>
        <source>Exported for the volunteer service system</source>
        <translation>导出到志愿服务信息系统</translation>
    </message>
    <message>
        <source>Person served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>个案</translation>
    </message>
    <message>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Service record</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>Volunteer hours</source>
        <translation>志愿服务时长</translation>
    </message>
    <message>
        <source>Donation</source>
        <translation>捐赠</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>村（社区）</translation>
    </message>
    <message>
        <source>List entry</source>
        <translation>选项列表</translation>
    </message>
    <message>
        <source>Staff certificate</source>
        <translation>工作人员证书</translation>
    </message>
    <message>
        <source>Staff training</source>
        <translation>工作人员培训</translation>
    </message>
    <message>
        <source>Social organisation</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <source>Service project</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>Person&apos;s category</source>
        <translation>服务对象类别</translation>
    </message>
    <message>
        <source>Household member</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Consent form</source>
        <translation>知情同意书</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>预估</translation>
    </message>
    <message>
        <source>Service plan</source>
        <translation>服务计划</translation>
    </message>
    <message>
        <source>Plan objective</source>
        <translation>计划目标</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>Case closure</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <source>Child protection report</source>
        <translation>儿童保护报告</translation>
    </message>
    <message>
        <source>Supervision record</source>
        <translation>督导记录</translation>
    </message>
    <message>
        <source>Volunteer team</source>
        <translation>志愿服务队</translation>
    </message>
    <message>
        <source>Team member</source>
        <translation>服务队成员</translation>
    </message>
    <message>
        <source>Volunteer training</source>
        <translation>志愿者培训</translation>
    </message>
    <message>
        <source>Volunteer certificate</source>
        <translation>志愿服务证明</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>小组</translation>
    </message>
    <message>
        <source>Group member</source>
        <translation>小组成员</translation>
    </message>
    <message>
        <source>Activity organiser</source>
        <translation>活动组织方</translation>
    </message>
    <message>
        <source>Activity attendee</source>
        <translation>活动参加者</translation>
    </message>
    <message>
        <source>Donated item</source>
        <translation>捐赠物资</translation>
    </message>
    <message>
        <source>Distribution of goods</source>
        <translation>物资发放</translation>
    </message>
    <message>
        <source>Resource link</source>
        <translation>资源链接</translation>
    </message>
    <message>
        <source>Station key</source>
        <translation>本站密钥</translation>
    </message>
    <message>
        <source>Centre key</source>
        <translation>中心密钥</translation>
    </message>
    <message>
        <source>Data bundle</source>
        <translation>数据包</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>演示数据</translation>
    </message>
    <message>
        <source>Registered station</source>
        <translation>登记的社工站</translation>
    </message>
    <message>
        <source>Roster</source>
        <translation>名册</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Wrong tries in a row</source>
        <translation>连续输错次数</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Encrypted</source>
        <translation>已加密</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>By</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>密钥指纹</translation>
    </message>
    <message>
        <source>Key fingerprints</source>
        <translation>密钥指纹</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Centre code</source>
        <translation>中心代码</translation>
    </message>
    <message>
        <source>Replaced key</source>
        <translation>被替换的密钥</translation>
    </message>
    <message>
        <source>Old key</source>
        <translation>旧密钥</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新记录</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新</translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation>未变</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Station code</source>
        <translation>社工站代码</translation>
    </message>
    <message>
        <source>Bundle no.</source>
        <translation>数据包序号</translation>
    </message>
    <message>
        <source>Check sum</source>
        <translation>校验值</translation>
    </message>
    <message>
        <source>Missing bundles</source>
        <translation>缺少的数据包</translation>
    </message>
    <message>
        <source>Imported before</source>
        <translation>此前已导入</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Counts</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <source>Full ID numbers</source>
        <translation>完整证件号</translation>
    </message>
    <message>
        <source>Case no.</source>
        <translation>个案编号</translation>
    </message>
    <message>
        <source>Service records</source>
        <translation>服务记录条数</translation>
    </message>
    <message>
        <source>Record no.</source>
        <translation>记录序号</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签字</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>个案数</translation>
    </message>
    <message>
        <source>Days without contact</source>
        <translation>未联系天数</translation>
    </message>
    <message>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Volunteer no.</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <source>Certificate no.</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>补打副本</translation>
    </message>
    <message>
        <source>Newly issued</source>
        <translation>新开具</translation>
    </message>
    <message>
        <source>Activity no.</source>
        <translation>活动编号</translation>
    </message>
    <message>
        <source>Blank sheet</source>
        <translation>空白表</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>条目数</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Fields</source>
        <translation>改动的字段</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Handed to</source>
        <translation>移交给</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本号</translation>
    </message>
    <message>
        <source>From version</source>
        <translation>起始版本</translation>
    </message>
    <message>
        <source>To version</source>
        <translation>截止版本</translation>
    </message>
    <message>
        <source>Everything again</source>
        <translation>全部重发</translation>
    </message>
    <message>
        <source>Export kind</source>
        <translation>导出方式</translation>
    </message>
    <message>
        <source>Restore count</source>
        <translation>恢复次数</translation>
    </message>
    <message>
        <source>Backup made at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Database layout</source>
        <translation>数据库结构版本</translation>
    </message>
    <message>
        <source>Old database kept as</source>
        <translation>原数据库另存为</translation>
    </message>
    <message>
        <source>Numbering raised</source>
        <translation>调高的编号起点</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Certificates</source>
        <translation>证明份数</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Prints</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>Passphrase printed</source>
        <translation>打印了恢复口令</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者人数</translation>
    </message>
    <message>
        <source>Hours lines</source>
        <translation>时长条数</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长（小时）</translation>
    </message>
    <message>
        <source>Signed with the old key</source>
        <translation>用旧密钥签名</translation>
    </message>
    <message>
        <source>New key</source>
        <translation>新密钥</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Whole case file</source>
        <translation>整本个案档案</translation>
    </message>
    <message>
        <source>Intake form</source>
        <translation>接案登记表</translation>
    </message>
    <message>
        <source>Assessment form</source>
        <translation>预估表</translation>
    </message>
    <message>
        <source>Service plan form</source>
        <translation>服务计划表</translation>
    </message>
    <message>
        <source>Closure form</source>
        <translation>结案表</translation>
    </message>
    <message>
        <source>Referral form</source>
        <translation>转介表</translation>
    </message>
    <message>
        <source>Service record form</source>
        <translation>服务记录表</translation>
    </message>
    <message>
        <source>Supervision list</source>
        <translation>督导清单</translation>
    </message>
    <message>
        <source>Volunteer registration form</source>
        <translation>志愿者登记表</translation>
    </message>
    <message>
        <source>Activity record</source>
        <translation>活动记录表</translation>
    </message>
    <message>
        <source>Sign-in sheet</source>
        <translation>签到表</translation>
    </message>
    <message>
        <source>Donation ledger</source>
        <translation>捐赠台账</translation>
    </message>
    <message>
        <source>Monthly report</source>
        <translation>月报表</translation>
    </message>
    <message>
        <source>Service records of a month</source>
        <translation>当月服务记录</translation>
    </message>
    <message>
        <source>Volunteer certificates</source>
        <translation>志愿服务证明</translation>
    </message>
    <message>
        <source>Recovery sheet</source>
        <translation>数据恢复单</translation>
    </message>
    <message>
        <source>Key fingerprint sheet</source>
        <translation>密钥指纹单</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>For supervision (complete)</source>
        <translation>督导用（完整）</translation>
    </message>
    <message>
        <source>De-identified</source>
        <translation>去标识化</translation>
    </message>
    <message>
        <source>Printing</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Basics</source>
        <translation>基础资料</translation>
    </message>
    <message>
        <source>Volunteers and activities</source>
        <translation>志愿者和活动</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>已替换</translation>
    </message>
    <message>
        <source>Key changed</source>
        <translation>已更换密钥</translation>
    </message>
    <message>
        <source>Bundles missing</source>
        <translation>缺少数据包</translation>
    </message>
    <message>
        <source>Opening the case</source>
        <translation>开案</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>name</source>
        <extracomment>Detail values that are database column names (``fields``), read through ``messages.FIELDS`` when listed there, else through :func:`column_labels`.</extracomment>
        <translation>姓名</translation>
    </message>
    <message>
        <source>sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>second phone</source>
        <translation>备用电话</translation>
    </message>
    <message>
        <source>address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>village (community)</source>
        <translation>所属村（社区）</translation>
    </message>
    <message>
        <source>household registration address</source>
        <translation>户籍地址</translation>
    </message>
    <message>
        <source>marital status</source>
        <translation>婚姻状况</translation>
    </message>
    <message>
        <source>education</source>
        <translation>文化程度</translation>
    </message>
    <message>
        <source>occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>health</source>
        <translation>健康状况</translation>
    </message>
    <message>
        <source>notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>social worker</source>
        <translation>负责社工</translation>
    </message>
    <message>
        <source>risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>approval</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>opening approval</source>
        <translation>开案审批</translation>
    </message>
    <message>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>hours credited</source>
        <translation>计入时长</translation>
    </message>
    <message>
        <source>title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>in use</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>wording</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>order</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>emergency contact</source>
        <translation>紧急联系人</translation>
    </message>
    <message>
        <source>emergency phone</source>
        <translation>紧急联系电话</translation>
    </message>
    <message>
        <source>category</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>value</source>
        <translation>价值</translation>
    </message>
    <message>
        <source>place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>start date</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>presenting problem</source>
        <translation>主要问题</translation>
    </message>
    <message>
        <source>lives alone</source>
        <translation>独居</translation>
    </message>
    <message>
        <source>date left</source>
        <translation>离职日期</translation>
    </message>
    <message>
        <source>team</source>
        <translation>服务队</translation>
    </message>
    <message>
        <source>prints</source>
        <translation>打印次数</translation>
    </message>
    <message>
        <source>No such user name</source>
        <translation>没有这个用户名</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>{count} cases</source>
        <translation>个案 {count} 件</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Back up to…</source>
        <translation>备份到…</translation>
    </message>
    <message>
        <source>Writes an encrypted copy of all the station&apos;s data into a folder you choose, best on a USB stick kept away from this PC. It is locked with the recovery passphrase on the recovery sheet.</source>
        <translation>把本站全部数据加密后写到您选择的文件夹里，最好是U盘，并与这台电脑分开存放。备份用数据恢复单上的恢复口令加密。</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Recovery passphrase</source>
        <translation>恢复口令</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>开始备份</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose the folder for the backup</source>
        <translation>选择备份存放的文件夹</translation>
    </message>
    <message>
        <source>Choose a folder that exists, for example the USB stick.</source>
        <translation>请选择一个存在的文件夹，例如U盘。</translation>
    </message>
    <message>
        <source>Writing the encrypted backup…</source>
        <translation>正在写入加密备份…</translation>
    </message>
    <message>
        <source>The backup is written: {path} ({size}). Keep the USB stick away from this PC.</source>
        <translation>备份已写好：{path}（{size}）。请把U盘与这台电脑分开存放。</translation>
    </message>
</context>
<context>
    <name>BatchPrintDialog</name>
    <message>
        <source>Batch printing</source>
        <translation>批量打印</translation>
    </message>
    <message>
        <source>Service records of a month (every case)</source>
        <translation>某月的个案服务记录（全部个案）</translation>
    </message>
    <message>
        <source>Volunteer service certificates of a period (every volunteer with confirmed hours)</source>
        <translation>某期间的志愿服务记录证明（有已确认时长的全部志愿者）</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>至：</translation>
    </message>
    <message>
        <source>Print preview…</source>
        <translation>打印预览…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>The end of the period is before its start.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <source>{count} service record(s) of {cases} case(s) in {month}.</source>
        <translation>{month} 共有 {count} 条个案服务记录，涉及 {cases} 个个案。</translation>
    </message>
    <message>
        <source>Each record prints on its own page(s), in case-number order.</source>
        <translation>每条记录单独成页，按个案编号排列。</translation>
    </message>
    <message>
        <source>{count} volunteer(s) with confirmed hours from {start} to {end}.</source>
        <translation>{start} 至 {end} 有已确认服务时长的志愿者共 {count} 名。</translation>
    </message>
    <message>
        <source>Each gets a numbered certificate in the register; a certificate already issued for the same period and hours prints again marked as a copy. If you cancel, no number is issued.</source>
        <translation>每人出具一份证明并在登记簿编号；同一期间、同一时长已出具过的，再次打印时标注“副本”。中途取消则不出具任何编号。</translation>
    </message>
    <message>
        <source>Nothing to print in the period chosen.</source>
        <translation>所选期间内没有可打印的内容。</translation>
    </message>
    <message>
        <source>Service records {month}</source>
        <translation>个案服务记录 {month}</translation>
    </message>
    <message>
        <source>service-records-{month}</source>
        <translation>个案服务记录-{month}</translation>
    </message>
    <message>
        <source>Printing service records…</source>
        <translation>正在生成个案服务记录…</translation>
    </message>
    <message>
        <source>Volunteer certificates {start} to {end}</source>
        <translation>志愿服务记录证明 {start} 至 {end}</translation>
    </message>
    <message>
        <source>certificates-{start}-{end}</source>
        <translation>志愿服务记录证明-{start}-{end}</translation>
    </message>
    <message>
        <source>Printing certificates…</source>
        <translation>正在生成志愿服务记录证明…</translation>
    </message>
</context>
<context>
    <name>CaseDrafts</name>
    <message>
        <source>intake form</source>
        <translation>接案登记</translation>
    </message>
    <message>
        <source>needs assessment</source>
        <translation>需求评估</translation>
    </message>
    <message>
        <source>service plan</source>
        <translation>服务计划</translation>
    </message>
    <message>
        <source>new service record</source>
        <translation>服务记录（新）</translation>
    </message>
    <message>
        <source>service record</source>
        <translation>服务记录（修改）</translation>
    </message>
    <message>
        <source>evaluation</source>
        <translation>服务评估</translation>
    </message>
    <message>
        <source>closure report</source>
        <translation>结案报告</translation>
    </message>
</context>
<context>
    <name>CaseFormDialog</name>
    <message>
        <source>&amp;Save</source>
        <extracomment>A refusal&apos;s field → the field it is shown under (e.g. consent errors).</extracomment>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>CaseLabels</name>
    <message>
        <source>Asked for help</source>
        <translation>主动求助</translation>
    </message>
    <message>
        <source>Introduced by someone</source>
        <translation>他人介绍</translation>
    </message>
    <message>
        <source>Referred by an organisation</source>
        <translation>机构转介</translation>
    </message>
    <message>
        <source>Outreach visit</source>
        <translation>社工外展走访</translation>
    </message>
    <message>
        <source>Screening</source>
        <translation>摸排发现</translation>
    </message>
    <message>
        <source>Voluntary</source>
        <translation>自愿</translation>
    </message>
    <message>
        <source>Not voluntary</source>
        <translation>非自愿</translation>
    </message>
    <message>
        <source>Home visit</source>
        <translation>家访</translation>
    </message>
    <message>
        <source>Interview</source>
        <translation>面谈</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>线上</translation>
    </message>
    <message>
        <source>Accompanying (doctor, offices)</source>
        <translation>陪同就医/办事</translation>
    </message>
    <message>
        <source>Linking resources</source>
        <translation>资源链接</translation>
    </message>
    <message>
        <source>Case conference</source>
        <translation>个案会议</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>物资</translation>
    </message>
    <message>
        <source>Money</source>
        <translation>资金</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>政策</translation>
    </message>
    <message>
        <source>Fully reached</source>
        <translation>完全达成</translation>
    </message>
    <message>
        <source>Partly reached</source>
        <translation>部分达成</translation>
    </message>
    <message>
        <source>Not reached</source>
        <translation>未达成</translation>
    </message>
    <message>
        <source>Outcome evaluation</source>
        <translation>结果评估</translation>
    </message>
    <message>
        <source>Process evaluation</source>
        <translation>过程评估</translation>
    </message>
    <message>
        <source>The client&apos;s separate consent</source>
        <translation>服务对象单独同意</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>A statutory duty</source>
        <translation>法定职责</translation>
    </message>
    <message>
        <source>An emergency</source>
        <translation>紧急情况</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>尚未答复</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>不予接收</translation>
    </message>
</context>
<context>
    <name>CaseWorkspace</name>
    <message>
        <source>← Back to the list</source>
        <translation>◀ 返回列表</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Service records</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>链接资源</translation>
    </message>
    <message>
        <source>Add service record (Ctrl+R)</source>
        <translation>新增服务记录 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Print this record</source>
        <translation>打印本次记录</translation>
    </message>
    <message>
        <source>Decide opening…</source>
        <translation>开案审批…</translation>
    </message>
    <message>
        <source>Submit opening again</source>
        <translation>重新提交开案</translation>
    </message>
    <message>
        <source>Needs assessment…</source>
        <translation>需求评估…</translation>
    </message>
    <message>
        <source>Service plan…</source>
        <translation>服务计划…</translation>
    </message>
    <message>
        <source>Submit plan for approval</source>
        <translation>提交计划审批</translation>
    </message>
    <message>
        <source>Decide plan…</source>
        <translation>计划审批…</translation>
    </message>
    <message>
        <source>Evaluation…</source>
        <translation>评估…</translation>
    </message>
    <message>
        <source>Closure report…</source>
        <translation>结案报告…</translation>
    </message>
    <message>
        <source>Decide closure…</source>
        <translation>结案审批…</translation>
    </message>
    <message>
        <source>Next stage</source>
        <translation>进入下一阶段</translation>
    </message>
    <message>
        <source>Refer…</source>
        <translation>转介…</translation>
    </message>
    <message>
        <source>Referral outcome…</source>
        <translation>转介结果…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新开案…</translation>
    </message>
    <message>
        <source>Follow-up…</source>
        <translation>跟进记录…</translation>
    </message>
    <message>
        <source>Whole case file</source>
        <translation>整份个案档案</translation>
    </message>
    <message>
        <source>Intake form</source>
        <translation>接案登记表</translation>
    </message>
    <message>
        <source>Consent form</source>
        <translation>知情同意书</translation>
    </message>
    <message>
        <source>Needs assessment</source>
        <translation>需求评估</translation>
    </message>
    <message>
        <source>Service plan</source>
        <translation>服务计划</translation>
    </message>
    <message>
        <source>Closure report</source>
        <translation>结案报告</translation>
    </message>
    <message>
        <source>Referral form</source>
        <translation>转介表</translation>
    </message>
    <message>
        <source>Selected service record</source>
        <translation>所选服务记录</translation>
    </message>
    <message>
        <source>Reading the case…</source>
        <translation>正在读取个案…</translation>
    </message>
    <message>
        <source>{case_no}  {name}</source>
        <translation>{case_no}  {name}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>not assigned</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>ID {id} · {age} years · worker {worker} · risk &lt;b&gt;{risk}&lt;/b&gt; · area {area} · categories {categories} · intake {intake}</source>
        <translation>身份证 {id} · {age} 岁 · 负责社工 {worker} · 风险 &lt;b&gt;{risk}&lt;/b&gt; · 领域 {area} · 类别 {categories} · 接案 {intake}</translation>
    </message>
    <message>
        <source>Child protection: mandatory report</source>
        <translation>儿童保护：强制报告</translation>
    </message>
    <message>
        <source>the station head&apos;s approval of the opening</source>
        <translation>站长批准开案</translation>
    </message>
    <message>
        <source>a needs assessment</source>
        <translation>需求评估</translation>
    </message>
    <message>
        <source>a service plan</source>
        <translation>服务计划</translation>
    </message>
    <message>
        <source>the station head&apos;s approval of the plan</source>
        <translation>站长批准服务计划</translation>
    </message>
    <message>
        <source>an evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>a closure report</source>
        <translation>结案报告</translation>
    </message>
    <message>
        <source>the station head&apos;s approval of the closure</source>
        <translation>站长批准结案</translation>
    </message>
    <message>
        <source>Before {stage}: {missing}.</source>
        <translation>进入“{stage}”前还需要：{missing}。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Ready for the next stage: {stage}.</source>
        <translation>可以进入下一阶段：{stage}。</translation>
    </message>
    <message>
        <source>Move on to {stage}</source>
        <translation>进入“{stage}”</translation>
    </message>
    <message>
        <source>{status} by {name}</source>
        <translation>{status}（{name}）</translation>
    </message>
    <message>
        <source>Not taken on: {reason}</source>
        <translation>不予接案：{reason}</translation>
    </message>
    <message>
        <source>Comment: {comment}</source>
        <translation>意见：{comment}</translation>
    </message>
    <message>
        <source>Referred by: {referrer}</source>
        <translation>转介方：{referrer}</translation>
    </message>
    <message>
        <source>Opening</source>
        <translation>开案</translation>
    </message>
    <message>
        <source>No plan yet.</source>
        <translation>尚无服务计划。</translation>
    </message>
    <message>
        <source>Version {version}, {made_on}: {status}</source>
        <translation>第 {version} 版，{made_on}：{status}</translation>
    </message>
    <message>
        <source>Version {version} stays in force until this one is approved.</source>
        <translation>本版批准前，继续执行第 {version} 版。</translation>
    </message>
    <message>
        <source>{closed_on} ({type}): {status}</source>
        <translation>{closed_on}（{type}）：{status}</translation>
    </message>
    <message>
        <source>Closure</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>{count} service records</source>
        <translation>共 {count} 次服务记录</translation>
    </message>
    <message>
        <source>, last on {day}</source>
        <translation>，最近一次 {day}</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>服务情况</translation>
    </message>
    <message>
        <source>{count} mandatory report(s) on file.</source>
        <translation>已有 {count} 份强制报告记录。</translation>
    </message>
    <message>
        <source>Suspected harm to a child: record who was informed (Needs assessment…).</source>
        <translation>疑似儿童受侵害：请记录已向谁报告（需求评估…）。</translation>
    </message>
    <message>
        <source>Child protection</source>
        <translation>儿童保护</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>No. {seq}</source>
        <translation>第 {seq} 次</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Service records are added once the case is opened and until it is closed.</source>
        <translation>服务记录只能在开案后、结案前添加。</translation>
    </message>
    <message>
        <source>The case is closed; reopen it to change its records.</source>
        <translation>个案已结案，如需修改记录请先重新开案。</translation>
    </message>
    <message>
        <source>Delete service record</source>
        <translation>删除服务记录</translation>
    </message>
    <message>
        <source>Delete service record no. {seq} of {day}? Its number is not used again.</source>
        <translation>删除 {day} 的第 {seq} 次服务记录？该次数不会再被使用。</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Service record no. {seq} deleted.</source>
        <translation>已删除第 {seq} 次服务记录。</translation>
    </message>
    <message>
        <source>Move the case on to {stage}?</source>
        <translation>将个案推进到“{stage}”阶段？</translation>
    </message>
    <message>
        <source>Move on</source>
        <translation>推进</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>The case is now at {stage}.</source>
        <translation>个案已进入“{stage}”阶段。</translation>
    </message>
    <message>
        <source>The opening was submitted again.</source>
        <translation>开案申请已重新提交。</translation>
    </message>
    <message>
        <source>The plan was submitted to the station head.</source>
        <translation>服务计划已提交站长审批。</translation>
    </message>
    <message>
        <source>Decide opening</source>
        <translation>开案审批</translation>
    </message>
    <message>
        <source>Open case {case_no} for {name}? Approve, or send it back with a comment.</source>
        <translation>是否同意为{name}开案（{case_no}）？请批准，或填写意见后退回。</translation>
    </message>
    <message>
        <source>Decide plan</source>
        <translation>计划审批</translation>
    </message>
    <message>
        <source>Approve version {version} of the service plan for {name}? Or send it back with a comment.</source>
        <translation>是否批准{name}的第 {version} 版服务计划？或填写意见后退回。</translation>
    </message>
    <message>
        <source>Decide closure</source>
        <translation>结案审批</translation>
    </message>
    <message>
        <source>Close case {case_no} for {name} on {day}? Approve, or send the closure report back with a comment.</source>
        <translation>是否同意{name}的个案（{case_no}）于 {day} 结案？请批准，或填写意见后退回结案报告。</translation>
    </message>
    <message>
        <source>Case file {case_no}</source>
        <translation>个案档案 {case_no}</translation>
    </message>
    <message>
        <source>Consent form {case_no}</source>
        <translation>知情同意书 {case_no}</translation>
    </message>
    <message>
        <source>Select a service record first.</source>
        <translation>请先选择一条服务记录。</translation>
    </message>
    <message>
        <source>Service record no. {seq}</source>
        <translation>第 {seq} 次服务记录</translation>
    </message>
    <message>
        <source>Edit intake…</source>
        <translation>编辑接案信息…</translation>
    </message>
    <message>
        <source>Suspend…</source>
        <translation>暂停服务…</translation>
    </message>
    <message>
        <source>Resume service</source>
        <translation>恢复服务</translation>
    </message>
    <message>
        <source>The service is suspended; resume it to go on at {stage}.</source>
        <translation>服务已暂停；点“恢复服务”后继续“{stage}”阶段。</translation>
    </message>
    <message>
        <source>{day} reopened: {reason}</source>
        <translation>{day} 重新开案：{reason}</translation>
    </message>
    <message>
        <source>{day} {method}: {result}</source>
        <translation>{day} {method}：{result}</translation>
    </message>
    <message>
        <source>follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Follow-ups and reopenings</source>
        <translation>跟进与重新开案</translation>
    </message>
    <message>
        <source>Suspend the case</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>Suspend case {case_no} of {name} (e.g. the client is in hospital or away)? No service records can be added until the service is resumed; it then goes on at {stage}.</source>
        <translation>暂停{name}的个案 {case_no}（如服务对象住院或外出）？暂停期间不能新增服务记录，恢复服务后继续“{stage}”阶段。</translation>
    </message>
    <message>
        <source>Suspend</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>The case is suspended.</source>
        <translation>个案已暂停服务。</translation>
    </message>
    <message>
        <source>Service resumed; the case is at {stage}.</source>
        <translation>已恢复服务，个案处于“{stage}”阶段。</translation>
    </message>
    <message>
        <source>{day} → {party}: {outcome}</source>
        <translation>{day} → {party}：{outcome}</translation>
    </message>
</context>
<context>
    <name>CasesList</name>
    <message>
        <source>Cases</source>
        <translation>个案</translation>
    </message>
    <message>
        <source>Search: case number, client&apos;s name or pinyin initials, last digits of the ID number</source>
        <translation>搜索：个案编号、服务对象姓名或拼音首字母、身份证号码后几位</translation>
    </message>
    <message>
        <source>cases</source>
        <translation>个案列表</translation>
    </message>
    <message>
        <source>All stages</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>个案编号</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Opening</source>
        <translation>开案审批</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>接案日期</translation>
    </message>
    <message>
        <source>Service area</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>负责社工</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>服务次数</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近联系</translation>
    </message>
</context>
<context>
    <name>CasesPage</name>
    <message>
        <source>Open a case first (Enter on its row), then print its file.</source>
        <translation>请先打开个案（在该行按回车），再打印档案。</translation>
    </message>
    <message>
        <source>Case {case_no} registered for {name}; it waits for the station head&apos;s approval.</source>
        <translation>已为{name}登记个案 {case_no}，等待站长审批开案。</translation>
    </message>
    <message>
        <source>Case {case_no} recorded for {name} as not taken on.</source>
        <translation>已为{name}登记个案 {case_no}（不予接案）。</translation>
    </message>
</context>
<context>
    <name>CentrePages</name>
    <message>
        <source>station details</source>
        <extracomment>Names of the tables a bundle carries (translated by :func:`table_labels`).</extracomment>
        <translation>站点信息</translation>
    </message>
    <message>
        <source>villages and communities</source>
        <translation>村(社区)</translation>
    </message>
    <message>
        <source>list entries</source>
        <translation>分类项</translation>
    </message>
    <message>
        <source>staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>staff certificates</source>
        <translation>工作人员证书</translation>
    </message>
    <message>
        <source>staff training</source>
        <translation>工作人员培训</translation>
    </message>
    <message>
        <source>social organisations</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <source>service projects</source>
        <translation>服务项目</translation>
    </message>
    <message>
        <source>people served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>categories of people</source>
        <translation>对象类别</translation>
    </message>
    <message>
        <source>household members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>cases</source>
        <translation>个案</translation>
    </message>
    <message>
        <source>consents</source>
        <translation>知情同意书</translation>
    </message>
    <message>
        <source>assessments</source>
        <translation>需求评估</translation>
    </message>
    <message>
        <source>service plans</source>
        <translation>服务计划</translation>
    </message>
    <message>
        <source>plan objectives</source>
        <translation>计划目标</translation>
    </message>
    <message>
        <source>referrals</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>closures</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>evaluations</source>
        <translation>成效评估</translation>
    </message>
    <message>
        <source>follow-ups</source>
        <translation>跟进回访</translation>
    </message>
    <message>
        <source>child protection reports</source>
        <translation>儿童保护报告</translation>
    </message>
    <message>
        <source>supervision records</source>
        <translation>督导记录</translation>
    </message>
    <message>
        <source>volunteer teams</source>
        <translation>志愿者队伍</translation>
    </message>
    <message>
        <source>volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>team members</source>
        <translation>队员</translation>
    </message>
    <message>
        <source>volunteer training</source>
        <translation>志愿者培训</translation>
    </message>
    <message>
        <source>volunteer certificates</source>
        <translation>志愿服务证明</translation>
    </message>
    <message>
        <source>groups</source>
        <translation>小组</translation>
    </message>
    <message>
        <source>group members</source>
        <translation>小组成员</translation>
    </message>
    <message>
        <source>activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>activity organisers</source>
        <translation>活动组织方</translation>
    </message>
    <message>
        <source>activity attendees</source>
        <translation>活动参与人员</translation>
    </message>
    <message>
        <source>volunteer hours</source>
        <translation>志愿服务时长</translation>
    </message>
    <message>
        <source>donations</source>
        <translation>慈善资源</translation>
    </message>
    <message>
        <source>donated items</source>
        <translation>捐赠物品</translation>
    </message>
    <message>
        <source>distributions</source>
        <translation>发放</translation>
    </message>
    <message>
        <source>service records</source>
        <translation>服务记录</translation>
    </message>
    <message>
        <source>resource links</source>
        <translation>资源链接</translation>
    </message>
</context>
<context>
    <name>CentreWindow</name>
    <message>
        <source>Centre administrator</source>
        <extracomment>Roles that work at a centre.</extracomment>
        <translation>中心管理员</translation>
    </message>
    <message>
        <source>Wushe Desktop (centre): {name}</source>
        <translation>五社联动（中心版）：{name}</translation>
    </message>
    <message>
        <source>Centre: {name} ({code})</source>
        <translation>中心：{name}（{code}）</translation>
    </message>
    <message>
        <source>User: {name} ({role})</source>
        <translation>当前用户：{name}（{role}）</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <source>Import bundles</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <source>Station register</source>
        <translation>站点登记</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督导查阅</translation>
    </message>
    <message>
        <source>Import finished; the overview shows the new figures.</source>
        <translation>导入完成，总览已显示最新数字。</translation>
    </message>
    <message>
        <source>{count} bundle files added to the import list.</source>
        <translation>已把 {count} 个数据包加入导入列表。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Add bundles…</source>
        <translation>添加数据包(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Print the supervision list…</source>
        <translation>打印督导清单(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <source>Volunteer service certificate: {name}</source>
        <translation>志愿服务记录证明：{name}</translation>
    </message>
    <message>
        <source>Only the period from</source>
        <translation>仅统计期间：自</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Preview and print…</source>
        <translation>预览并打印…</translation>
    </message>
    <message>
        <source>Only confirmed hours are stated. The first print gets the next number in the station&apos;s certificate register; every later print of the same certificate is marked as a copy.</source>
        <translation>证明只记载已确认的时长。首次打印时在本站证明登记簿中取下一个编号；同一份证明以后再打印，均标注“副本”。</translation>
    </message>
    <message>
        <source>Volunteer service certificate</source>
        <translation>志愿服务记录证明</translation>
    </message>
    <message>
        <source>The certificate will state {hours} hours of volunteer service ({count} confirmed lines).</source>
        <translation>证明将记载志愿服务 {hours} 小时（已确认记录 {count} 条）。</translation>
    </message>
    <message>
        <source>No confirmed hours in this period: there is nothing to certify.</source>
        <translation>该期间没有已确认的时长，无法开具证明。</translation>
    </message>
    <message>
        <source>{count} lines ({hours} hours) await confirmation and are not counted.</source>
        <translation>另有 {count} 条记录（{hours} 小时）待确认，不计入证明。</translation>
    </message>
    <message>
        <source>Already issued as No. {number} and printed {prints} times: this print will be marked as a copy.</source>
        <translation>该证明已开具（编号 {number}），已打印 {prints} 次：本次打印将标注“副本”。</translation>
    </message>
    <message>
        <source>Issued as No. {number}; not printed yet.</source>
        <translation>已开具（编号 {number}），尚未打印。</translation>
    </message>
    <message>
        <source>Printing issues a new certificate with the next number in the register.</source>
        <translation>打印时将开具新证明，在登记簿中取下一个编号。</translation>
    </message>
    <message>
        <source>Preview and print a copy…</source>
        <translation>预览并打印副本…</translation>
    </message>
    <message>
        <source>certificate-{name}-{date}</source>
        <translation>志愿服务记录证明-{name}-{date}</translation>
    </message>
</context>
<context>
    <name>ChangePassphraseDialog</name>
    <message>
        <source>Change the recovery passphrase</source>
        <translation>更改恢复口令</translation>
    </message>
    <message>
        <source>The recovery passphrase locks the backups that leave this PC (Back up to…) and lets the station head set a new password when theirs is forgotten. Choose a new one when the old one is lost or someone else may know it.</source>
        <translation>恢复口令用来加密带离本电脑的备份（“备份到…”），站长忘记登录密码时也要用它重设密码。旧口令丢失或可能被别人知道时，请在这里换一个新口令。</translation>
    </message>
    <message>
        <source>Backups made before stay locked with the OLD passphrase: they open only with it. Keep the old recovery sheet as long as you keep those backups, and make a new backup right after the change.</source>
        <translation>注意：以前做的备份仍然用旧口令加密，只能用旧口令打开。只要还保留这些旧备份，就要留着旧的恢复单；更改后请马上重新备份一次。</translation>
    </message>
    <message>
        <source>At least {count} characters. A short sentence is easier to remember than a jumble of letters.</source>
        <translation>至少 {count} 个字符。用一句短话比一串乱字母更容易记住。</translation>
    </message>
    <message>
        <source>New recovery passphrase</source>
        <translation>新的恢复口令</translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation>再输一遍新口令</translation>
    </message>
    <message>
        <source>Change the passphrase</source>
        <translation>更改口令</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Type the new recovery passphrase.</source>
        <translation>请输入新的恢复口令。</translation>
    </message>
    <message>
        <source>Storing the new passphrase…</source>
        <translation>正在保存新口令…</translation>
    </message>
    <message>
        <source>The recovery passphrase is changed. Print a new recovery sheet now, write the new passphrase on it and lock it in the safe?</source>
        <translation>恢复口令已更改。现在打印新的数据恢复单，把新口令写在上面，锁进保险柜吗？</translation>
    </message>
    <message>
        <source>Print the recovery sheet…</source>
        <translation>打印数据恢复单…</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>以后再说</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>The station head set a temporary password for you. Choose your own password now; only you should know it.</source>
        <translation>站长给您设了临时密码。请现在设置您自己的密码，只有您本人知道。</translation>
    </message>
    <message>
        <source>Type your current password, then the new one twice.</source>
        <translation>请输入当前密码，再输入两遍新密码。</translation>
    </message>
    <message>
        <source>At least {count} characters, not only digits.</source>
        <translation>至少 {count} 个字符，不能全是数字。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ChildProtectionDialog</name>
    <message>
        <source>Mandatory report</source>
        <translation>强制报告</translation>
    </message>
    <message>
        <source>Suspected harm to a child must be reported at once to the police, civil affairs or education authorities (Minors Protection Law Art. 11). Record who was informed and when.</source>
        <translation>发现儿童疑似受到侵害，须立即向公安、民政、教育等部门报告（《未成年人保护法》第十一条）。请记录向谁报告及报告时间。</translation>
    </message>
    <message>
        <source>e.g. 毕克齐派出所, 镇民政办, the school</source>
        <translation>如 毕克齐派出所、镇民政办、学校</translation>
    </message>
    <message>
        <source>What was reported</source>
        <translation>报告内容</translation>
    </message>
    <message>
        <source>Informed</source>
        <translation>报告对象</translation>
    </message>
    <message>
        <source>When</source>
        <translation>报告时间</translation>
    </message>
    <message>
        <source>Concern</source>
        <translation>报告内容</translation>
    </message>
</context>
<context>
    <name>ClosureDialog</name>
    <message>
        <source>Closure report</source>
        <translation>结案报告</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The service given, in a few sentences</source>
        <translation>简述提供的服务</translation>
    </message>
    <message>
        <source>How far the objectives were reached</source>
        <translation>目标达成情况</translation>
    </message>
    <message>
        <source>What changed for the client</source>
        <translation>服务对象的改变</translation>
    </message>
    <message>
        <source>What is left, and who will take care of it</source>
        <translation>遗留问题及后续负责方</translation>
    </message>
    <message>
        <source>The client&apos;s view</source>
        <translation>服务对象的意见</translation>
    </message>
    <message>
        <source>e.g. 2027-02-01 (empty: no follow-up planned)</source>
        <translation>如 2027-02-01（不填则不安排跟进）</translation>
    </message>
    <message>
        <source>e.g. phone call</source>
        <translation>如 电话回访</translation>
    </message>
    <message>
        <source>Closed on</source>
        <translation>结案日期</translation>
    </message>
    <message>
        <source>Closure type</source>
        <translation>结案类型</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Service summary</source>
        <translation>服务总结</translation>
    </message>
    <message>
        <source>Objectives</source>
        <translation>具体目标</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>改变</translation>
    </message>
    <message>
        <source>Left to do</source>
        <translation>遗留问题</translation>
    </message>
    <message>
        <source>Client&apos;s feedback</source>
        <translation>服务对象反馈</translation>
    </message>
    <message>
        <source>Follow-up on</source>
        <translation>跟进日期</translation>
    </message>
    <message>
        <source>Follow-up by</source>
        <translation>跟进方式</translation>
    </message>
    <message>
        <source>Sent back by {name}: {comment}</source>
        <translation>{name}退回意见：{comment}</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>Record consent</source>
        <translation>登记知情同意</translation>
    </message>
    <message>
        <source>Case services and keeping the records</source>
        <translation>个案服务及资料保存</translation>
    </message>
    <message>
        <source>Self</source>
        <translation>本人</translation>
    </message>
    <message>
        <source>Self, or the guardian&apos;s relation, e.g. grandmother</source>
        <translation>本人，或监护人与其关系，如：祖母</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>同意事项</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签署人</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>与本人关系</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>签署日期</translation>
    </message>
    <message>
        <source>Write what the consent covers.</source>
        <translation>请填写同意事项。</translation>
    </message>
    <message>
        <source>Write who signed.</source>
        <translation>请填写签署人。</translation>
    </message>
</context>
<context>
    <name>ConsentTab</name>
    <message>
        <source>Signed informed consent forms. A child under 14 has the consent signed by the guardian.</source>
        <translation>已签署的知情同意书。未满 14 周岁的儿童由监护人签署。</translation>
    </message>
    <message>
        <source>Record consent…</source>
        <translation>登记同意书…</translation>
    </message>
    <message>
        <source>Withdrawn…</source>
        <translation>撤回同意…</translation>
    </message>
    <message>
        <source>{date} {purpose}, signed by {signer} ({relation})</source>
        <translation>{date} {purpose}，签署人：{signer}（{relation}）</translation>
    </message>
    <message>
        <source>, withdrawn on {date}</source>
        <translation>，已于 {date} 撤回</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>{when} {by} voided it ({old} h): {reason}</source>
        <translation>{when} {by} 作废（原 {old} 小时）：{reason}</translation>
    </message>
    <message>
        <source>{when} {by} corrected {old} h to {new} h: {reason}</source>
        <translation>{when} {by} 将 {old} 小时更正为 {new} 小时：{reason}</translation>
    </message>
    <message>
        <source>Correct volunteer hours</source>
        <translation>更正志愿服务时长</translation>
    </message>
    <message>
        <source>{name}, {date}: {hours} hours ({status}). {content}</source>
        <translation>{name}，{date}：{hours} 小时（{status}）。{content}</translation>
    </message>
    <message>
        <source>The right hours, e.g. 6.5</source>
        <translation>正确的时长，如 6.5</translation>
    </message>
    <message>
        <source>e.g. time for writing the activity summary was left out</source>
        <translation>如：漏记撰写活动总结的时间</translation>
    </message>
    <message>
        <source>Correct hours</source>
        <translation>更正后时长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>更正原因</translation>
    </message>
    <message>
        <source>No corrections yet.</source>
        <translation>暂无更正记录。</translation>
    </message>
    <message>
        <source>History</source>
        <translation>更正记录</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Participants in activities, by role</source>
        <translation>活动参与人次（按身份）</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待办事项</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>This month: {start} to {end}</source>
        <translation>本月：{start} 至 {end}</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <source>Social workers</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Caring people</source>
        <translation>爱心人士</translation>
    </message>
    <message>
        <source>{case_no} {name} ({stage})</source>
        <translation>{case_no} {name}（{stage}）</translation>
    </message>
    <message>
        <source>Open this case</source>
        <translation>打开该个案</translation>
    </message>
    <message>
        <source>Cases with no contact for over {days} days ({count})</source>
        <translation>超过 {days} 天未联系的个案（{count}）</translation>
    </message>
    <message>
        <source>Closures awaiting approval ({count})</source>
        <translation>待审批的结案（{count}）</translation>
    </message>
    <message>
        <source>Case openings awaiting approval ({count})</source>
        <translation>待审批的开案（{count}）</translation>
    </message>
    <message>
        <source>Service plans awaiting approval ({count})</source>
        <translation>待审批的服务计划（{count}）</translation>
    </message>
    <message>
        <source>Service plans due for review ({count})</source>
        <translation>到期需复核的服务计划（{count}）</translation>
    </message>
    <message>
        <source>Volunteer hours awaiting confirmation ({count})</source>
        <translation>待确认的志愿服务时长（{count}）</translation>
    </message>
    <message>
        <source>{name}: {hours} hours</source>
        <translation>{name}：{hours} 小时</translation>
    </message>
    <message>
        <source>Open this volunteer</source>
        <translation>打开该志愿者</translation>
    </message>
    <message>
        <source>… and {count} more, oldest first above</source>
        <translation>……另有 {count} 项未列出（上面按时间先后列出最早的）</translation>
    </message>
    <message>
        <source>Figure:</source>
        <translation>指标：</translation>
    </message>
    <message>
        <source>Recent months</source>
        <translation>近几个月</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>参与人次</translation>
    </message>
    <message>
        <source>Month {month}</source>
        <translation>{month}月</translation>
    </message>
    <message>
        <source>{figure}: this month and the {count} months before</source>
        <translation>{figure}：本月与前 {count} 个月</translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>A comment (needed when sending back)</source>
        <translation>审批意见（退回时必填）</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>意见</translation>
    </message>
    <message>
        <source>&amp;Approve</source>
        <translation>批准(&amp;A)</translation>
    </message>
    <message>
        <source>Send &amp;back</source>
        <translation>退回(&amp;B)</translation>
    </message>
</context>
<context>
    <name>DistributionDialog</name>
    <message>
        <source>Record a distribution</source>
        <translation>登记发放</translation>
    </message>
    <message>
        <source>In yuan</source>
        <translation>单位：元</translation>
    </message>
    <message>
        <source>A person served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Used in an activity</source>
        <translation>用于活动</translation>
    </message>
    <message>
        <source>None chosen</source>
        <translation>未选择</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>The receiver signed for it</source>
        <translation>领取人已签收</translation>
    </message>
    <message>
        <source>From donation</source>
        <translation>来自捐赠</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>物资</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>发放日期</translation>
    </message>
    <message>
        <source>Given to</source>
        <translation>发放对象</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>There is nothing left to hand out: record a donation first.</source>
        <translation>没有可发放的资金或物资，请先登记捐赠。</translation>
    </message>
    <message>
        <source>Type the amount in yuan, like 2000 or 350.50.</source>
        <translation>金额请按元填写，如 2000 或 350.50。</translation>
    </message>
    <message>
        <source>{no} · {donor} · {form}</source>
        <translation>{no} · {donor} · {form}</translation>
    </message>
    <message>
        <source>{date} {title}</source>
        <translation>{date} {title}</translation>
    </message>
    <message>
        <source>{name} {spec}</source>
        <translation>{name} {spec}</translation>
    </message>
    <message>
        <source>Left: {count} {unit}</source>
        <translation>剩余：{count} {unit}</translation>
    </message>
    <message>
        <source>Left: {amount} yuan</source>
        <translation>剩余：{amount} 元</translation>
    </message>
</context>
<context>
    <name>DonationDialog</name>
    <message>
        <source>Record a donation</source>
        <translation>登记捐赠</translation>
    </message>
    <message>
        <source>ID number or unified social credit code (may stay empty)</source>
        <translation>身份证号或统一社会信用代码（可不填）</translation>
    </message>
    <message>
        <source>The donor agrees to be named in public</source>
        <translation>捐赠人同意公开姓名（名称）</translation>
    </message>
    <message>
        <source>In yuan, e.g. 2000 or 350.50</source>
        <translation>单位：元，如 2000 或 350.50</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>物资名称</translation>
    </message>
    <message>
        <source>Specification</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Value per unit (yuan)</source>
        <translation>单价估值（元）</translation>
    </message>
    <message>
        <source>Valued by</source>
        <translation>估值依据</translation>
    </message>
    <message>
        <source>Expiry (optional)</source>
        <translation>保质期至（可不填）</translation>
    </message>
    <message>
        <source>Add a goods line</source>
        <translation>添加一行物资</translation>
    </message>
    <message>
        <source>Remove the selected line</source>
        <translation>删除选中的行</translation>
    </message>
    <message>
        <source>The charity that legally received the money</source>
        <translation>依法接收资金的慈善组织</translation>
    </message>
    <message>
        <source>Restricted to a purpose</source>
        <translation>定向捐赠，用途</translation>
    </message>
    <message>
        <source>e.g. 2026-10-20 (may stay empty)</source>
        <translation>如 2026-10-20（可不填）</translation>
    </message>
    <message>
        <source>Not linked to an activity</source>
        <translation>不关联活动</translation>
    </message>
    <message>
        <source>Date received</source>
        <translation>接收日期</translation>
    </message>
    <message>
        <source>Donor type</source>
        <translation>捐赠人类型</translation>
    </message>
    <message>
        <source>Donor</source>
        <translation>捐赠人</translation>
    </message>
    <message>
        <source>Donor&apos;s ID or code</source>
        <translation>证件号或信用代码</translation>
    </message>
    <message>
        <source>Donor&apos;s contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <source>Linked activity</source>
        <translation>关联活动</translation>
    </message>
    <message>
        <source>Form</source>
        <translation>捐赠形式</translation>
    </message>
    <message>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <source>Received by (charity)</source>
        <translation>接收单位（慈善组织）</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>捐赠票据</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>票据号码</translation>
    </message>
    <message>
        <source>Receipt date</source>
        <translation>开票日期</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Goods received</source>
        <translation>捐赠物资明细</translation>
    </message>
    <message>
        <source>piece</source>
        <translation>件</translation>
    </message>
    <message>
        <source>type the quantity as a whole number</source>
        <translation>数量请填整数</translation>
    </message>
    <message>
        <source>fill in the value per unit in yuan (an estimate at market price is fine)</source>
        <translation>请填写单价估值（元），可按市场价估算</translation>
    </message>
    <message>
        <source>type the value per unit in yuan, like 60 or 12.50</source>
        <translation>单价估值请按元填写，如 60 或 12.50</translation>
    </message>
    <message>
        <source>type the expiry date like 2026-12-31</source>
        <translation>保质期请按 2026-12-31 的格式填写</translation>
    </message>
    <message>
        <source>Line {number}: {text}.</source>
        <translation>第 {number} 行：{text}。</translation>
    </message>
    <message>
        <source>Total value: {amount} yuan</source>
        <translation>合计价值：{amount} 元</translation>
    </message>
    <message>
        <source>Type the amount in yuan, like 2000 or 350.50.</source>
        <translation>金额请按元填写，如 2000 或 350.50。</translation>
    </message>
    <message>
        <source>{date} {title}</source>
        <translation>{date} {title}</translation>
    </message>
</context>
<context>
    <name>DraftKeeper</name>
    <message>
        <source>Unsaved draft</source>
        <extracomment>How long after the last change a draft is written. Form kinds whose drafts are offered back at start. The key of a draft&apos;s description (who and what it is about), never a field&apos;s name. Drafts the user chose at start, waiting for their form to open: (form, record) → draft.</extracomment>
        <translation>未保存的草稿</translation>
    </message>
    <message>
        <source>This form has an unsaved draft from {time}. Carry on with it?</source>
        <translation>这张表有一份 {time} 未保存的草稿。要接着填写吗？</translation>
    </message>
    <message>
        <source>Carry on with the draft</source>
        <translation>接着填写草稿</translation>
    </message>
    <message>
        <source>Start afresh</source>
        <translation>重新填写</translation>
    </message>
    <message>
        <source>Open the draft</source>
        <translation>继续填写</translation>
    </message>
    <message>
        <source>{month}/{day} {time}</source>
        <translation>{month}月{day}日 {time}</translation>
    </message>
    <message>
        <source>{year}/{rest}</source>
        <translation>{year}年{rest}</translation>
    </message>
    <message>
        <source>{name}&apos;s {form}</source>
        <translation>{name}的{form}</translation>
    </message>
    <message>
        <source>You have an unsaved draft: {form} ({time}). Carry on filling it in?</source>
        <translation>您有未保存的草稿：{form}（{time}）。要继续填写吗？</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>以后再说</translation>
    </message>
</context>
<context>
    <name>EndDateDialog</name>
    <message>
        <source>Consent withdrawn</source>
        <translation>撤回同意</translation>
    </message>
    <message>
        <source>End a category</source>
        <translation>结束类别</translation>
    </message>
    <message>
        <source>Withdrawn on</source>
        <translation>撤回日期</translation>
    </message>
    <message>
        <source>Ended on</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>The date is before {date}, when it began.</source>
        <translation>该日期早于开始日期 {date}。</translation>
    </message>
</context>
<context>
    <name>EvaluationDialog</name>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Evaluated on</source>
        <translation>评估日期</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Not rated</source>
        <translation>未评</translation>
    </message>
    <message>
        <source>Not asked</source>
        <translation>未询问</translation>
    </message>
    <message>
        <source>Changes seen, what worked, what did not</source>
        <translation>观察到的变化、有效与无效之处</translation>
    </message>
    <message>
        <source>Overall</source>
        <translation>总体达成</translation>
    </message>
    <message>
        <source>Satisfaction (1–5)</source>
        <translation>满意度（1–5）</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <source>birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>intake date</source>
        <translation>接案日期</translation>
    </message>
    <message>
        <source>service date</source>
        <translation>服务日期</translation>
    </message>
    <message>
        <source>signing date</source>
        <translation>签署日期</translation>
    </message>
    <message>
        <source>registration date</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>date received</source>
        <translation>接收日期</translation>
    </message>
    <message>
        <source>closing date</source>
        <translation>结案日期</translation>
    </message>
    <message>
        <source>end date</source>
        <translation>结束日期</translation>
    </message>
    <message>
        <source>start date</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>assessment date</source>
        <translation>评估日期</translation>
    </message>
    <message>
        <source>plan date</source>
        <translation>计划制定日期</translation>
    </message>
    <message>
        <source>review date</source>
        <translation>检讨日期</translation>
    </message>
    <message>
        <source>evaluation date</source>
        <translation>评估日期</translation>
    </message>
    <message>
        <source>date informed</source>
        <translation>告知日期</translation>
    </message>
    <message>
        <source>referral date</source>
        <translation>转介日期</translation>
    </message>
    <message>
        <source>feedback date</source>
        <translation>反馈日期</translation>
    </message>
    <message>
        <source>follow-up date</source>
        <translation>跟进日期</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>e.g. phone call, home visit</source>
        <translation>如 电话、家访</translation>
    </message>
    <message>
        <source>How the client is doing</source>
        <translation>服务对象近况</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>How</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>跟进结果</translation>
    </message>
</context>
<context>
    <name>ForgotPasswordDialog</name>
    <message>
        <source>Forgot password</source>
        <translation>忘记密码</translation>
    </message>
    <message>
        <source>Only the station head can do this here, with the recovery passphrase from the recovery sheet in the safe. Other staff: ask the station head to reset your password.</source>
        <translation>只有站长可以在这里凭保险柜里数据恢复单上的恢复口令重设密码。其他工作人员请找站长重置密码。</translation>
    </message>
    <message>
        <source>Station head&apos;s user name</source>
        <translation>站长用户名</translation>
    </message>
    <message>
        <source>Recovery passphrase</source>
        <translation>恢复口令</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Set new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The new password is set and the account is unlocked. Log in with it now.</source>
        <translation>新密码已设置，账号已解锁。请用新密码登录。</translation>
    </message>
</context>
<context>
    <name>HoursDialog</name>
    <message>
        <source>Enter volunteer hours: {name}</source>
        <translation>录入志愿服务时长：{name}</translation>
    </message>
    <message>
        <source>Not part of an activity</source>
        <translation>不属于某项活动</translation>
    </message>
    <message>
        <source>e.g. 2.5 (actual service time, without travel)</source>
        <translation>如 2.5（实际服务时间，不含往返路程）</translation>
    </message>
    <message>
        <source>Sign-in, e.g. 09:00</source>
        <translation>签到，如 09:00</translation>
    </message>
    <message>
        <source>Sign-out, e.g. 11:30</source>
        <translation>签退，如 11:30</translation>
    </message>
    <message>
        <source>Give the hours, or the sign-in and sign-out times. The station head confirms the line before it counts.</source>
        <translation>填写时长，或填写签到和签退时间。站长确认后才计入时长。</translation>
    </message>
    <message>
        <source>Service date</source>
        <translation>服务日期</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>所属活动</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长（小时）</translation>
    </message>
    <message>
        <source>Or times</source>
        <translation>或签到签退</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>服务地点</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>服务评价</translation>
    </message>
</context>
<context>
    <name>HoursGridDialog</name>
    <message>
        <source>Volunteer hours: {title}</source>
        <translation>志愿服务时长：{title}</translation>
    </message>
    <message>
        <source>Service date {date}. Type the sign-in and sign-out times, or the hours (e.g. 2.5) when there was a break. Rows left empty are not saved; the station head confirms the hours afterwards.</source>
        <translation>服务日期 {date}。请填写签到、签退时间；中途有休息的，直接填写小时数（如 2.5）。空行不保存；时长保存后由站长审核。</translation>
    </message>
    <message>
        <source>Sign-in, e.g. 08:30</source>
        <translation>签到，如 08:30</translation>
    </message>
    <message>
        <source>Sign-out, e.g. 11:30</source>
        <translation>签退，如 11:30</translation>
    </message>
    <message>
        <source>What they did</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Fill every empty row</source>
        <translation>填入所有空行</translation>
    </message>
    <message>
        <source>For everyone:</source>
        <translation>统一填写：</translation>
    </message>
    <message>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Sign-out</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>小时数</translation>
    </message>
    <message>
        <source>Service content</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Already entered</source>
        <translation>已录入</translation>
    </message>
    <message>
        <source>Type the times like 08:30.</source>
        <translation>时间请按 08:30 的格式填写。</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the rows marked in the last column.</source>
        <translation>没有保存：请修改最后一列标出问题的行。</translation>
    </message>
    <message>
        <source>Type the hours of at least one volunteer.</source>
        <translation>请至少填写一位志愿者的时长。</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <source>Add a household member</source>
        <translation>添加家庭成员</translation>
    </message>
    <message>
        <source>e.g. son, spouse</source>
        <translation>如：儿子、配偶</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Lives in the same household</source>
        <translation>共同居住</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Relation</source>
        <translation>关系</translation>
    </message>
    <message>
        <source>Year of birth</source>
        <translation>出生年份</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>职业</translation>
    </message>
    <message>
        <source>Write the relation, e.g. son.</source>
        <translation>请填写关系，如：儿子。</translation>
    </message>
</context>
<context>
    <name>HouseholdTab</name>
    <message>
        <source>The people in the household (family members).</source>
        <translation>家庭成员。</translation>
    </message>
    <message>
        <source>Add member…</source>
        <translation>添加成员…</translation>
    </message>
    <message>
        <source>born {year}</source>
        <translation>{year}年生</translation>
    </message>
    <message>
        <source>lives together</source>
        <translation>共同居住</translation>
    </message>
    <message>
        <source>lives elsewhere</source>
        <translation>不在一起住</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>Type your password.</source>
        <translation>请输入密码。</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Preview (writes nothing)</source>
        <translation>预览（不写入）</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Choose the stations&apos; bundle files (.wsb), or drag them onto this window. Preview first: it checks every bundle and says what it would change, without writing anything.</source>
        <translation>选择各社工站的数据包文件（.wsb），或直接把文件拖到本窗口。请先点“预览”：逐个检查数据包并列出将要更改的内容，不写入任何数据。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>社工站</translation>
    </message>
    <message>
        <source>Bundle No.</source>
        <translation>数据包序号</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Select a bundle to read what happened to it.</source>
        <translation>选中一个数据包，可在此查看详细结果。</translation>
    </message>
    <message>
        <source>Import bundles</source>
        <translation>导入数据包</translation>
    </message>
    <message>
        <source>Choose bundle files</source>
        <translation>选择数据包文件</translation>
    </message>
    <message>
        <source>Data bundles (*.wsb);;All files (*)</source>
        <translation>数据包 (*.wsb);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose the folder with the bundles</source>
        <translation>选择存放数据包的文件夹</translation>
    </message>
    <message>
        <source>No bundle files (.wsb) were found there.</source>
        <translation>那里没有找到数据包文件（.wsb）。</translation>
    </message>
    <message>
        <source>{count} bundles in the list. Preview them first, then import.</source>
        <translation>列表中共 {count} 个数据包。请先预览，再导入。</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>Checking the bundles…</source>
        <translation>正在检查数据包…</translation>
    </message>
    <message>
        <source>Importing the bundles…</source>
        <translation>正在导入数据包…</translation>
    </message>
    <message>
        <source>Preview: {good} of {total} bundles can be imported; {bad} would be refused. Nothing was written.</source>
        <translation>预览：{total} 个数据包中，可以导入 {good} 个，将被拒绝 {bad} 个。未写入任何数据。</translation>
    </message>
    <message>
        <source>Imported {good} of {total} bundles; a receipt was written for each.</source>
        <translation>{total} 个数据包中已导入 {good} 个，每个都已生成回执。</translation>
    </message>
    <message>
        <source>{bad} refused: their copies and the reasons are in {folder}.</source>
        <translation>{bad} 个被拒绝：文件副本和拒绝原因已放在 {folder}。</translation>
    </message>
    <message>
        <source>Refused: {reason}</source>
        <translation>已拒绝：{reason}</translation>
    </message>
    <message>
        <source>Already imported; nothing would change</source>
        <translation>此前已导入，不会有变化</translation>
    </message>
    <message>
        <source>Can be imported: {new} new, {updated} updated</source>
        <translation>可以导入：新增 {new} 条，更新 {updated} 条</translation>
    </message>
    <message>
        <source>Already imported before; nothing changed</source>
        <translation>此前已导入，数据未变</translation>
    </message>
    <message>
        <source>Imported: {new} new, {updated} updated</source>
        <translation>已导入：新增 {new} 条，更新 {updated} 条</translation>
    </message>
    <message>
        <source>File: {path}</source>
        <translation>文件：{path}</translation>
    </message>
    <message>
        <source>A copy of the file and the reason are in the quarantine folder: {path}</source>
        <translation>文件副本和拒绝原因已放入隔离文件夹：{path}</translation>
    </message>
    <message>
        <source>This was a preview: nothing was written.</source>
        <translation>这是预览，未写入任何数据。</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>changes only</source>
        <translation>增量</translation>
    </message>
    <message>
        <source>Station: {name} ({code}); bundle No. {sequence} ({kind}); {rows} records.</source>
        <translation>社工站：{name}（{code}）；第 {sequence} 号数据包（{kind}）；共 {rows} 条记录。</translation>
    </message>
    <message>
        <source>Would change</source>
        <translation>将会更改</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <source>{verb}: {new} new, {updated} updated, {unchanged} unchanged.</source>
        <translation>{verb}：新增 {new} 条，更新 {updated} 条，未变 {unchanged} 条。</translation>
    </message>
    <message>
        <source>Records by kind: {parts}</source>
        <translation>各类记录：{parts}</translation>
    </message>
    <message>
        <source>This very bundle was imported before; nothing changes.</source>
        <translation>这个数据包此前已导入过，数据不会变化。</translation>
    </message>
    <message>
        <source>A newer bundle of this station was imported before; nothing newer is rolled back.</source>
        <translation>该站更新的数据包此前已导入，较新的数据不会被回退。</translation>
    </message>
    <message>
        <source>Bundle(s) No. {span} never arrived. Ask the station to make a full export (导出数据包, 完整导出) and bring it.</source>
        <translation>缺少第 {span} 号数据包。请社工站做一次完整导出（导出数据包时选择“完整导出”）并送来。</translation>
    </message>
    <message>
        <source>Some changes may be missing. Ask the station to make a full export and bring it.</source>
        <translation>可能缺少部分更改，请社工站做一次完整导出并送来。</translation>
    </message>
    <message>
        <source>beside the bundle</source>
        <translation>放在数据包旁边</translation>
    </message>
    <message>
        <source>in the centre&apos;s folder (the bundle&apos;s folder could not be written)</source>
        <translation>放在中心的文件夹中（数据包所在文件夹无法写入）</translation>
    </message>
    <message>
        <source>Receipt written {where}: {path}. Give it to the station.</source>
        <translation>回执已生成，{where}：{path}。请把回执交给社工站。</translation>
    </message>
    <message>
        <source>The receipt could not be written; import the bundle again from a folder that can be written.</source>
        <translation>回执未能写入。请把数据包复制到可写入的文件夹后重新导入。</translation>
    </message>
    <message>
        <source>File: {path}
Not checked yet: press Preview.</source>
        <translation>文件：{path}
尚未检查：请点“预览”。</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>Intake: open a case</source>
        <translation>接案登记</translation>
    </message>
    <message>
        <source>Type a name, pinyin initials (e.g. qqg) or the ID number&apos;s last 4 digits</source>
        <translation>输入姓名、拼音首字母（如 qqg）或身份证号后 4 位</translation>
    </message>
    <message>
        <source>No one chosen yet.</source>
        <translation>尚未选择服务对象。</translation>
    </message>
    <message>
        <source>Who referred, e.g. 什报气村委会 (needed for a referral)</source>
        <translation>转介方，如 什报气村委会（机构转介时必填）</translation>
    </message>
    <message>
        <source>Referrer&apos;s contact person or phone</source>
        <translation>转介方联系人或电话</translation>
    </message>
    <message>
        <source>What the client or referrer says the problem is</source>
        <translation>服务对象或转介方反映的问题</translation>
    </message>
    <message>
        <source>The worker&apos;s first impression</source>
        <translation>社工的初步印象</translation>
    </message>
    <message>
        <source>Crisis: needs help at once</source>
        <translation>危机：需立即介入</translation>
    </message>
    <message>
        <source>Open the case (untick if the case is not taken on)</source>
        <translation>接案（不予接案时取消勾选）</translation>
    </message>
    <message>
        <source>Why the case is not taken on</source>
        <translation>不予接案的原因</translation>
    </message>
    <message>
        <source>Consent form signed at this intake</source>
        <translation>接案时已签署知情同意书</translation>
    </message>
    <message>
        <source>本人, or the guardian&apos;s relation (e.g. 祖母)</source>
        <translation>本人，或监护人与服务对象的关系（如 祖母）</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>接案日期</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>个案来源</translation>
    </message>
    <message>
        <source>Referrer</source>
        <translation>转介方</translation>
    </message>
    <message>
        <source>Referrer contact</source>
        <translation>转介方联系方式</translation>
    </message>
    <message>
        <source>Service area</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <source>Presenting problem</source>
        <translation>主要问题</translation>
    </message>
    <message>
        <source>First impression</source>
        <translation>初步印象</translation>
    </message>
    <message>
        <source>Willingness</source>
        <translation>意愿</translation>
    </message>
    <message>
        <source>Risk level</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>负责社工</translation>
    </message>
    <message>
        <source>Reason not taken on</source>
        <translation>不予接案原因</translation>
    </message>
    <message>
        <source>Signed by</source>
        <translation>签署人</translation>
    </message>
    <message>
        <source>Signer is the client&apos;s</source>
        <translation>签署人与服务对象关系</translation>
    </message>
    <message>
        <source>Signed on</source>
        <translation>签署日期</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <source>Not assigned yet</source>
        <translation>暂未指定</translation>
    </message>
    <message>
        <source>{name}, {age} years, {id} {categories} {address}</source>
        <translation>{name}，{age} 岁，{id} {categories} {address}</translation>
    </message>
    <message>
        <source>Chosen: {name} ({age} years, {id})</source>
        <translation>已选择：{name}（{age} 岁，{id}）</translation>
    </message>
    <message>
        <source>no ID number</source>
        <translation>无身份证号</translation>
    </message>
    <message>
        <source>{name} is under {limit}: the case is opened only with a guardian on the person&apos;s record and the guardian&apos;s signed consent. Type the guardian&apos;s name and relation below.</source>
        <translation>{name}未满 {limit} 周岁：须在服务对象档案中登记监护人，并由监护人签署知情同意书，才能开案。请在下方填写监护人姓名及关系。</translation>
    </message>
    <message>
        <source>Edit intake {case_no}</source>
        <translation>编辑接案信息 {case_no}</translation>
    </message>
    <message>
        <source>Submit to the station head again when saved</source>
        <translation>保存后重新提交站长审批</translation>
    </message>
    <message>
        <source>Sent back by {name}: {comment}</source>
        <translation>{name}退回意见：{comment}</translation>
    </message>
    <message>
        <source>{name} ({age} years, {id}); the client of a case does not change.</source>
        <translation>{name}（{age} 岁，{id}）；个案的服务对象不能更改。</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Intake</source>
        <translation>接案</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>预估</translation>
    </message>
    <message>
        <source>Planning</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Intervention</source>
        <translation>介入</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>结案</translation>
    </message>
    <message>
        <source>Not opened</source>
        <translation>不开案</translation>
    </message>
    <message>
        <source>Referred</source>
        <translation>已转介</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Awaiting approval</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Sent back</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>Awaiting confirmation</source>
        <translation>待确认</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>已更正</translation>
    </message>
    <message>
        <source>Void</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Station head</source>
        <translation>站长</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>社工</translation>
    </message>
    <message>
        <source>Deputy head</source>
        <translation>副站长</translation>
    </message>
    <message>
        <source>Centre administrator</source>
        <translation>中心管理员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>督导</translation>
    </message>
    <message>
        <source>Local administrator</source>
        <translation>本机管理员</translation>
    </message>
    <message>
        <source>Activities held (sessions)</source>
        <extracomment>The keys of ``wushe stats --json`` in the order of the printed monthly report.</extracomment>
        <translation>开展活动（场）</translation>
    </message>
    <message>
        <source>Social workers taking part (person-times)</source>
        <translation>社工参与（人次）</translation>
    </message>
    <message>
        <source>Volunteers taking part (person-times)</source>
        <translation>志愿者参与（人次）</translation>
    </message>
    <message>
        <source>Caring people taking part (person-times)</source>
        <translation>爱心人士参与（人次）</translation>
    </message>
    <message>
        <source>Beneficiary person-times</source>
        <translation>受益人次</translation>
    </message>
    <message>
        <source>People benefiting (people)</source>
        <translation>受益人数（人）</translation>
    </message>
    <message>
        <source>New cases (cases)</source>
        <translation>新开个案（个）</translation>
    </message>
    <message>
        <source>Open cases (at period end)</source>
        <translation>在案个案（期末）</translation>
    </message>
    <message>
        <source>Cases closed (cases)</source>
        <translation>结案个案（个）</translation>
    </message>
    <message>
        <source>Cases referred (cases)</source>
        <translation>转介个案（个）</translation>
    </message>
    <message>
        <source>Case service records (times)</source>
        <translation>个案服务记录（次）</translation>
    </message>
    <message>
        <source>Registered volunteers (at period end)</source>
        <translation>登记志愿者（期末）</translation>
    </message>
    <message>
        <source>Volunteer service hours (hours)</source>
        <translation>志愿服务时长（小时）</translation>
    </message>
    <message>
        <source>Funds linked (yuan)</source>
        <translation>链接善款（元）</translation>
    </message>
    <message>
        <source>Goods at valued price (yuan)</source>
        <translation>物资折价（元）</translation>
    </message>
    <message>
        <source>Activities held</source>
        <translation>开展活动</translation>
    </message>
    <message>
        <source>Social workers taking part</source>
        <translation>社工参与</translation>
    </message>
    <message>
        <source>Volunteers taking part</source>
        <translation>志愿者参与</translation>
    </message>
    <message>
        <source>Caring people taking part</source>
        <translation>爱心人士参与</translation>
    </message>
    <message>
        <source>People benefiting</source>
        <translation>受益人数</translation>
    </message>
    <message>
        <source>New cases</source>
        <translation>新开个案</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>在案个案</translation>
    </message>
    <message>
        <source>Cases closed</source>
        <translation>结案个案</translation>
    </message>
    <message>
        <source>Cases referred</source>
        <translation>转介个案</translation>
    </message>
    <message>
        <source>Case service records</source>
        <translation>个案服务记录</translation>
    </message>
    <message>
        <source>Registered volunteers</source>
        <translation>登记志愿者</translation>
    </message>
</context>
<context>
    <name>LineTable</name>
    <message>
        <source>Add a line</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除此行</translation>
    </message>
</context>
<context>
    <name>ListPage</name>
    <message>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>Exported {count} rows to {path}.</source>
        <translation>已导出 {count} 行到 {path}。</translation>
    </message>
    <message>
        <source>Exporting the list to Excel…</source>
        <translation>正在把列表导出到 Excel…</translation>
    </message>
    <message>
        <source>The list could not be read.</source>
        <translation>无法读取列表。</translation>
    </message>
    <message>
        <source>No records found.</source>
        <translation>没有找到符合条件的记录。</translation>
    </message>
    <message>
        <source>No records yet.</source>
        <translation>还没有记录。</translation>
    </message>
    <message>
        <source>Showing the first {count} matches; type more to narrow the search.</source>
        <translation>只显示前 {count} 条结果，请多输入几个字缩小范围。</translation>
    </message>
    <message>
        <source>{count} records</source>
        <translation>共 {count} 条</translation>
    </message>
    <message>
        <source>{count} of {total} records</source>
        <translation>{count} 条（共 {total} 条）</translation>
    </message>
    <message>
        <source>{count}+ of {total} records</source>
        <translation>{count}+ 条（共 {total} 条）</translation>
    </message>
</context>
<context>
    <name>Lists</name>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>LockOverlay</name>
    <message>
        <source>The window is locked</source>
        <translation>窗口已锁定</translation>
    </message>
    <message>
        <source>Locked because nobody used it for a while. {name} ({role}): type your password to go on.</source>
        <translation>因一段时间无人操作，窗口已锁定。{name}（{role}）：请输入密码继续。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Quit the program</source>
        <translation>退出程序</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Log in: {station}</source>
        <translation>登录：{station}</translation>
    </message>
    <message>
        <source>Log in with your own user name and password.</source>
        <translation>请用您本人的用户名和密码登录。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Forgot password…</source>
        <translation>忘记密码…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Choose a new password to go on.</source>
        <translation>请先设置新密码才能继续。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Wushe Desktop: {station}</source>
        <translation>五社联动社工站系统 — {station}</translation>
    </message>
    <message>
        <source>Station: {name} ({code})</source>
        <translation>社工站：{name}（{code}）</translation>
    </message>
    <message>
        <source>User: {name} ({role})</source>
        <translation>当前用户：{name}（{role}）</translation>
    </message>
    <message>
        <source>Last export: not yet exported</source>
        <translation>上次导出：尚未导出</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>People served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>个案</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <source>Charity resources</source>
        <translation>慈善资源</translation>
    </message>
    <message>
        <source>Statistics and reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>Data sync</source>
        <translation>数据同步</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Registered: {name}.</source>
        <translation>已登记：{name}。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Print</source>
        <translation>打印(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>There is nothing to create on this screen yet.</source>
        <translation>本页面暂时不能新建记录。</translation>
    </message>
    <message>
        <source>This screen has no search box.</source>
        <translation>本页面没有搜索框。</translation>
    </message>
    <message>
        <source>There is nothing to save on this screen: records are saved in their forms.</source>
        <translation>本页面没有需要保存的内容：记录在各自的表单中保存。</translation>
    </message>
    <message>
        <source>Printing from this screen is not available yet.</source>
        <translation>本页面暂不支持打印。</translation>
    </message>
    <message>
        <source>Last export: {when}, {count} not yet acknowledged</source>
        <translation>上次导出：{when}，中心尚未确认 {count} 条</translation>
    </message>
    <message>
        <source>Wushe Desktop</source>
        <extracomment>Each screen&apos;s class in ``wushe_desktop.ui``, imported when the screen is first built.</extracomment>
        <translation>五社联动社工站系统</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Enter the ID number.</source>
        <translation>请填写证件号码。</translation>
    </message>
    <message>
        <source>An ID card number has 18 characters: 17 digits and a last digit or X.</source>
        <translation>身份证号码应为 18 位：17 位数字，最后一位是数字或 X。</translation>
    </message>
    <message>
        <source>The last character of the ID number is wrong (it should be {expected}). Check the digits against the card.</source>
        <translation>身份证号码最后一位（校验位）不正确，按前 17 位应为 {expected}。请对照证件核对号码。</translation>
    </message>
    <message>
        <source>The birth date inside the ID number is not a real date. Check the digits.</source>
        <translation>身份证号码中的出生日期不是有效日期，请核对号码。</translation>
    </message>
    <message>
        <source>The birth date inside the ID number lies in the future. Check the digits.</source>
        <translation>身份证号码中的出生日期晚于今天，请核对号码。</translation>
    </message>
    <message>
        <source>The ID number starts with {prefix}, which is no province code. Check the first digits.</source>
        <translation>身份证号码开头的 {prefix} 不是有效的省级代码，请核对前两位。</translation>
    </message>
    <message>
        <source>Excel turned the ID number into a number (like 1.50121E+17). Format the column as text and type the number again.</source>
        <translation>Excel 把身份证号码变成了数字（如 1.50121E+17）。请把该列设为“文本”格式后重新录入号码。</translation>
    </message>
    <message>
        <source>The 15-digit ID number holds no real birth date. Check the digits.</source>
        <translation>15 位身份证号码中的出生日期无效，请核对号码。</translation>
    </message>
    <message>
        <source>Someone with this ID number is already registered. Open that person instead of registering them again.</source>
        <translation>已有人登记了该证件号码。请打开已登记的人员，不要重复登记。</translation>
    </message>
    <message>
        <source>The sex chosen does not match the ID number. Check both.</source>
        <translation>所选性别与身份证号码不符，请核对。</translation>
    </message>
    <message>
        <source>Enter the phone number.</source>
        <translation>请填写联系电话。</translation>
    </message>
    <message>
        <source>The phone number has {digits} digits; a mobile number has 11. Check the number.</source>
        <translation>电话号码有 {digits} 位，手机号码应为 11 位，请核对。</translation>
    </message>
    <message>
        <source>This is not a mobile or landline number. Type digits only, like 13812345678 or 0471-1234567.</source>
        <translation>这不是有效的手机或固定电话号码。请只填数字，例如 13812345678 或 0471-1234567。</translation>
    </message>
    <message>
        <source>A landline number needs its area code, like 0471-1234567.</source>
        <translation>固定电话需要加区号，例如 0471-1234567。</translation>
    </message>
    <message>
        <source>Enter the name.</source>
        <translation>请填写姓名。</translation>
    </message>
    <message>
        <source>The name has {length} characters; at most {max} are allowed.</source>
        <translation>姓名有 {length} 个字，最多允许 {max} 个。</translation>
    </message>
    <message>
        <source>The name contains &apos;{char}&apos;, which a name on an ID card cannot hold.</source>
        <translation>姓名中含有“{char}”，证件上的姓名不能包含该字符。</translation>
    </message>
    <message>
        <source>The middle dot separator must stand between two parts of the name.</source>
        <translation>姓名中的间隔号“·”只能用在两段姓名之间。</translation>
    </message>
    <message>
        <source>The Mongolian name contains &apos;{char}&apos;, which is not Mongolian script.</source>
        <translation>蒙古文姓名中含有“{char}”，它不是蒙古文字符。</translation>
    </message>
    <message>
        <source>The Mongolian name was typed with an old, non-standard input method. Type it again with a standard Mongolian keyboard.</source>
        <translation>蒙古文姓名是用旧的非标准输入法录入的，请用标准蒙古文输入法重新录入。</translation>
    </message>
    <message>
        <source>The {field} lies in the future. Check the date.</source>
        <translation>{field}晚于今天，请核对日期。</translation>
    </message>
    <message>
        <source>The {field} is before the {earlier_field}. Check both dates.</source>
        <translation>{field}早于{earlier_field}，请核对这两个日期。</translation>
    </message>
    <message>
        <source>Type the date like 1956-03-12.</source>
        <translation>日期请按 1956-03-12 的格式填写。</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期。</translation>
    </message>
    <message>
        <source>The end time is before the start time.</source>
        <translation>结束时间早于开始时间。</translation>
    </message>
    <message>
        <source>The birth date differs from the one in the ID number; the ID number&apos;s date is used.</source>
        <translation>出生日期与身份证号码中的不一致，已按身份证号码填写。</translation>
    </message>
    <message>
        <source>A child under 14 needs a guardian. Choose the guardian before saving.</source>
        <translation>未满 14 周岁的儿童须有监护人，请先选择监护人再保存。</translation>
    </message>
    <message>
        <source>This person is no longer in the records (someone may have deleted them).</source>
        <translation>该人员已不在记录中（可能已被他人删除）。</translation>
    </message>
    <message>
        <source>A child under 14 needs a guardian on file before consent can be recorded.</source>
        <translation>未满 14 周岁的儿童须先登记监护人，才能记录知情同意。</translation>
    </message>
    <message>
        <source>For a child under 14 the guardian signs the consent, not the child.</source>
        <translation>未满 14 周岁儿童的知情同意书应由监护人签署，而不是儿童本人。</translation>
    </message>
    <message>
        <source>A disability certificate number is the ID number followed by two digits (category and grade).</source>
        <translation>残疾人证号为身份证号码后加两位数字（残疾类别和等级）。</translation>
    </message>
    <message>
        <source>The disability certificate number does not start with this person&apos;s ID number.</source>
        <translation>残疾人证号的前 18 位与本人身份证号码不一致。</translation>
    </message>
    <message>
        <source>The database file was not found. Check that the USB stick or folder is there.</source>
        <translation>找不到数据库文件，请检查U盘或文件夹是否存在。</translation>
    </message>
    <message>
        <source>A database already exists there; it was not overwritten. Choose another place.</source>
        <translation>该位置已有数据库，没有覆盖它。请另选位置。</translation>
    </message>
    <message>
        <source>This file is not a Wushe database. Check that you chose the right file.</source>
        <translation>该文件不是五社联动数据库，请确认选对了文件。</translation>
    </message>
    <message>
        <source>This is a folder, not a database file.</source>
        <translation>这是文件夹，不是数据库文件。</translation>
    </message>
    <message>
        <source>The database file is damaged. Nothing more was written to it. Ask the station head to restore the newest backup.</source>
        <translation>数据库文件已损坏，已停止写入。请站长用最近的备份恢复。</translation>
    </message>
    <message>
        <source>This file belongs to another program, not to Wushe Desktop.</source>
        <translation>该文件属于其他程序，不是五社联动数据库。</translation>
    </message>
    <message>
        <source>The database was made by a newer version of this program. Install the newer version.</source>
        <translation>数据库由更新版本的程序创建，请安装新版本。</translation>
    </message>
    <message>
        <source>The database is busy in another window or program. Close it and try again; nothing was lost.</source>
        <translation>数据库正被其他窗口或程序使用。请关闭后重试，内容没有丢失。</translation>
    </message>
    <message>
        <source>The database folder cannot be written. Check the disk&apos;s free space and permissions.</source>
        <translation>无法写入数据库所在文件夹，请检查磁盘剩余空间和权限。</translation>
    </message>
    <message>
        <source>The disk is full, so nothing was saved. Free some space and save again.</source>
        <translation>磁盘已满，本次没有保存。请清理空间后再保存。</translation>
    </message>
    <message>
        <source>The database cannot be opened.</source>
        <translation>无法打开数据库。</translation>
    </message>
    <message>
        <source>Upgrading the database found {count} broken links, so it was left unchanged. Send the database file to technical support.</source>
        <translation>升级数据库时发现 {count} 处关联错误，数据库保持原样未改动。请把数据库文件发给技术支持。</translation>
    </message>
    <message>
        <source>This database has no station yet. Run the set-up wizard first.</source>
        <translation>该数据库还没有设置社工站，请先完成设置向导。</translation>
    </message>
    <message>
        <source>This is a centre database; this action is for stations.</source>
        <translation>这是中心数据库，该操作只用于社工站。</translation>
    </message>
    <message>
        <source>This is a station database; this action is for a centre.</source>
        <translation>这是社工站数据库，该操作只用于中心。</translation>
    </message>
    <message>
        <source>Enter the station&apos;s name.</source>
        <translation>请填写社工站名称。</translation>
    </message>
    <message>
        <source>The banner does not match the township chosen (the township belongs to {expected}).</source>
        <translation>旗县与所选乡镇不符（该乡镇属于{expected}）。</translation>
    </message>
    <message>
        <source>This township is not in the division table; choose its banner as well.</source>
        <translation>该乡镇不在区划表中，请同时选择所属旗县。</translation>
    </message>
    <message>
        <source>Choose the station&apos;s township from the list.</source>
        <translation>请从列表中选择社工站所在的苏木乡镇。</translation>
    </message>
    <message>
        <source>The recovery passphrase needs at least {min} characters.</source>
        <translation>恢复口令至少需要 {min} 个字符。</translation>
    </message>
    <message>
        <source>The two passphrases differ. Type the same passphrase twice.</source>
        <translation>两次输入的口令不一致，请输入相同的口令。</translation>
    </message>
    <message>
        <source>The recovery passphrase is wrong. Check the recovery sheet and type it again.</source>
        <translation>恢复口令不正确，请对照恢复单重新输入。</translation>
    </message>
    <message>
        <source>The community &apos;{name}&apos; is listed twice.</source>
        <translation>“{name}”重复填写了。</translation>
    </message>
    <message>
        <source>The case cannot move to that stage from where it is now.</source>
        <translation>个案不能从当前阶段转到该阶段。</translation>
    </message>
    <message>
        <source>The case is already at that stage.</source>
        <translation>个案已处于该阶段。</translation>
    </message>
    <message>
        <source>The station head must approve opening the case first.</source>
        <translation>须先由站长批准开案。</translation>
    </message>
    <message>
        <source>Record the needs assessment first.</source>
        <translation>请先填写需求预估。</translation>
    </message>
    <message>
        <source>The service plan must be approved by the station head first.</source>
        <translation>服务计划须先经站长批准。</translation>
    </message>
    <message>
        <source>Record the evaluation first.</source>
        <translation>请先填写评估。</translation>
    </message>
    <message>
        <source>The closure report must be approved by the station head first.</source>
        <translation>结案报告须先经站长批准。</translation>
    </message>
    <message>
        <source>A case ends as referred only through a closure by referral.</source>
        <translation>个案只能通过“转介结案”成为已转介。</translation>
    </message>
    <message>
        <source>Reopen the case to work on it again.</source>
        <translation>请先重新开启个案，再继续工作。</translation>
    </message>
    <message>
        <source>This record cannot be added while the case is at its current stage.</source>
        <translation>个案处于当前阶段时不能添加这类记录。</translation>
    </message>
    <message>
        <source>The case is closed; reopen it to add records.</source>
        <translation>个案已结案，须重新开启后才能添加记录。</translation>
    </message>
    <message>
        <source>This case is no longer in the records (someone may have deleted it).</source>
        <translation>该个案已不在记录中（可能已被他人删除）。</translation>
    </message>
    <message>
        <source>Write a comment saying why it is sent back.</source>
        <translation>请填写退回的理由。</translation>
    </message>
    <message>
        <source>This is no longer waiting for approval (someone may have decided it already).</source>
        <translation>该事项已不在待审批状态（可能已有人处理）。</translation>
    </message>
    <message>
        <source>Type the hours as a number, like 2 or 2.5.</source>
        <translation>时长请填数字，例如 2 或 2.5。</translation>
    </message>
    <message>
        <source>The hours must be more than zero.</source>
        <translation>时长必须大于零。</translation>
    </message>
    <message>
        <source>Hours take at most one decimal, like 2.5.</source>
        <translation>时长最多保留一位小数，例如 2.5。</translation>
    </message>
    <message>
        <source>The time is shorter than the smallest unit counted ({unit_hours} hours).</source>
        <translation>时长不足最小计时单位（{unit_hours} 小时）。</translation>
    </message>
    <message>
        <source>That makes {total_hours} hours in one day; at most {cap_hours} hours a day are counted.</source>
        <translation>当天累计 {total_hours} 小时，每天最多只计 {cap_hours} 小时。</translation>
    </message>
    <message>
        <source>The sign-out time is before the sign-in time.</source>
        <translation>签退时间早于签到时间。</translation>
    </message>
    <message>
        <source>Enter the hours, or the sign-in and sign-out times.</source>
        <translation>请填写时长，或填写签到和签退时间。</translation>
    </message>
    <message>
        <source>This volunteer already has hours for this activity on that day.</source>
        <translation>该志愿者当天在这项活动中已有时长记录。</translation>
    </message>
    <message>
        <source>These hours were already confirmed; use a correction to change them.</source>
        <translation>这条时长已确认，如需修改请使用“更正”。</translation>
    </message>
    <message>
        <source>Write the reason for the correction.</source>
        <translation>请填写更正的理由。</translation>
    </message>
    <message>
        <source>These hours were voided and cannot be changed.</source>
        <translation>这条时长已作废，不能再修改。</translation>
    </message>
    <message>
        <source>There are no confirmed hours in this period, so no certificate can be issued. Confirm the hours first or choose another period.</source>
        <translation>该时间段内没有已确认的服务时长，不能开具证明。请先确认时长，或另选时间段。</translation>
    </message>
    <message>
        <source>Set the certificate&apos;s issuing body in Settings first.</source>
        <translation>请先在“设置”中填写证明的出具单位。</translation>
    </message>
    <message>
        <source>The roster file was not found.</source>
        <translation>找不到名册文件。</translation>
    </message>
    <message>
        <source>Old .xls files cannot be read. Open it in Excel or WPS and save it as .xlsx.</source>
        <translation>无法读取旧版 .xls 文件，请在 Excel 或 WPS 中打开并另存为 .xlsx。</translation>
    </message>
    <message>
        <source>A roster must be an .xlsx or .csv file.</source>
        <translation>名册须为 .xlsx 或 .csv 文件。</translation>
    </message>
    <message>
        <source>The roster file cannot be read; it may be damaged or protected by a password.</source>
        <translation>无法读取名册文件，文件可能已损坏或设有密码。</translation>
    </message>
    <message>
        <source>The CSV file is neither UTF-8 nor GB18030. Save it again as CSV (UTF-8).</source>
        <translation>CSV 文件的编码既不是 UTF-8 也不是 GB18030，请重新另存为 CSV（UTF-8）。</translation>
    </message>
    <message>
        <source>The roster has no header row.</source>
        <translation>名册没有表头行。</translation>
    </message>
    <message>
        <source>The roster has no &apos;{column}&apos; column.</source>
        <translation>名册缺少“{column}”列。</translation>
    </message>
    <message>
        <source>The file changed after the preview. Preview it again.</source>
        <translation>文件在预览后被修改过，请重新预览。</translation>
    </message>
    <message>
        <source>The file cannot be written. It may be open in Excel or WPS; close it and try again.</source>
        <translation>无法写入文件，它可能正在 Excel 或 WPS 中打开，请关闭后重试。</translation>
    </message>
    <message>
        <source>The ID number is not valid. Check it against the card.</source>
        <translation>证件号码无效，请对照证件核对。</translation>
    </message>
    <message>
        <source>The phone number is not valid. Check it.</source>
        <translation>电话号码无效，请核对。</translation>
    </message>
    <message>
        <source>The name is not valid. Check it.</source>
        <translation>姓名无效，请核对。</translation>
    </message>
    <message>
        <source>A date is not valid. Check the dates.</source>
        <translation>有日期无效，请核对日期。</translation>
    </message>
    <message>
        <source>The database cannot be used right now. Nothing was saved. Close the program, open it again and retry; if it happens again, call technical support.</source>
        <translation>数据库暂时无法使用，本次没有保存。请关闭程序后重新打开再试；如果再次出现，请联系技术支持。</translation>
    </message>
    <message>
        <source>Your role does not allow this. Ask the station head to do it or to change your role.</source>
        <translation>您的角色无权进行该操作。请让站长来操作，或请站长调整您的角色。</translation>
    </message>
    <message>
        <source>The case cannot move to that stage yet. The stage bar shows what is missing.</source>
        <translation>个案暂时不能进入该阶段，阶段栏中会显示还缺少什么。</translation>
    </message>
    <message>
        <source>A row of the roster has a problem. Fix it in the file and retry.</source>
        <translation>名册中有一行有问题，请在文件中改正后重试。</translation>
    </message>
    <message>
        <source>The volunteer hours are not valid. Check them.</source>
        <translation>志愿服务时长无效，请核对。</translation>
    </message>
    <message>
        <source>The certificate cannot be issued as asked.</source>
        <translation>无法按要求开具证明。</translation>
    </message>
    <message>
        <source>The action was not carried out (code {code}). Check what you entered; if it looks right, tell technical support this code.</source>
        <translation>操作未完成（代码：{code}）。请检查填写的内容；如果确认无误，请把这个代码告诉技术支持。</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>操作未完成</translation>
    </message>
    <message>
        <source>Something went wrong inside the program. This is a bug, not your mistake; what you saved before is safe. Please tell technical support and send them the log file: {path}</source>
        <translation>程序内部出错了。这是程序的缺陷，不是您的操作错误；之前保存的内容不受影响。请联系技术支持，并把日志文件发给他们：{path}</translation>
    </message>
    <message>
        <source>Something went wrong inside the program. This is a bug, not your mistake; what you saved before is safe. Please tell technical support.</source>
        <translation>程序内部出错了。这是程序的缺陷，不是您的操作错误；之前保存的内容不受影响。请联系技术支持。</translation>
    </message>
    <message>
        <source>Program error</source>
        <translation>程序错误</translation>
    </message>
    <message>
        <source>This database is already open in another Wushe Desktop window. Switch to that window, or close it first.</source>
        <translation>这个数据库已在另一个五社联动窗口中打开。请切换到那个窗口，或先关闭它。</translation>
    </message>
    <message>
        <source>A case referred by an organisation needs the referrer.</source>
        <translation>机构转介的个案须填写转介方。</translation>
    </message>
    <message>
        <source>Choose the service area.</source>
        <translation>请选择服务领域。</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a service area in the station&apos;s list.</source>
        <translation>“{value}”不在本站的服务领域列表中。</translation>
    </message>
    <message>
        <source>Give the reason the case is not opened.</source>
        <translation>请填写不开案的原因。</translation>
    </message>
    <message>
        <source>The person is {age} years old: record the guardian and the guardian&apos;s signed consent before the case is opened.</source>
        <translation>服务对象现年 {age} 岁，开案前须登记监护人并取得监护人签署的知情同意书。</translation>
    </message>
    <message>
        <source>The case has not been opened yet; add service records after the opening is approved.</source>
        <translation>该个案尚未开案，批准开案后才能添加服务记录。</translation>
    </message>
    <message>
        <source>The case is suspended; resume it before adding service records.</source>
        <translation>该个案已暂停，请恢复后再添加服务记录。</translation>
    </message>
    <message>
        <source>The intake can no longer be edited: the case has been opened.</source>
        <translation>接案信息已不能修改：该个案已开案。</translation>
    </message>
    <message>
        <source>A line of the need list is empty; fill it in or remove it.</source>
        <translation>需求清单中有一行是空的，请填写或删除。</translation>
    </message>
    <message>
        <source>A scale line has no name.</source>
        <translation>有一行评估量表没有填写名称。</translation>
    </message>
    <message>
        <source>Record whom the report was made to.</source>
        <translation>请填写接收报告的单位或人员。</translation>
    </message>
    <message>
        <source>Give the plan&apos;s overall aim.</source>
        <translation>请填写服务计划的总目标。</translation>
    </message>
    <message>
        <source>A plan needs at least one objective.</source>
        <translation>服务计划至少需要一个具体目标。</translation>
    </message>
    <message>
        <source>An objective line is empty; fill it in or remove it.</source>
        <translation>有一条具体目标是空的，请填写或删除。</translation>
    </message>
    <message>
        <source>Plan version {version} is awaiting approval; wait for the decision before writing a new version.</source>
        <translation>第 {version} 版计划正在等待审核，请审批后再制订新版本。</translation>
    </message>
    <message>
        <source>Only the latest plan (version {latest}) can be submitted.</source>
        <translation>只能提交最新版本的计划（第 {latest} 版）。</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an intervention model in the station&apos;s list.</source>
        <translation>“{value}”不在本站的介入模式列表中。</translation>
    </message>
    <message>
        <source>Only a draft or a sent-back plan can be submitted for approval.</source>
        <translation>只有草稿或被退回的计划才能提交审核。</translation>
    </message>
    <message>
        <source>Only an opening request that was sent back can be submitted again.</source>
        <translation>只有被退回的开案申请才能重新提交。</translation>
    </message>
    <message>
        <source>The duration cannot be negative.</source>
        <translation>服务时长不能为负数。</translation>
    </message>
    <message>
        <source>The chosen objective is not in this case&apos;s plan.</source>
        <translation>所选目标不属于该个案的服务计划。</translation>
    </message>
    <message>
        <source>This service record is no longer in the records (someone may have deleted it).</source>
        <translation>该服务记录已不存在（可能已被他人删除）。</translation>
    </message>
    <message>
        <source>A linked resource has an unknown kind.</source>
        <translation>链接资源的类型无效。</translation>
    </message>
    <message>
        <source>The value of a linked resource cannot be negative.</source>
        <translation>链接资源的价值不能为负数。</translation>
    </message>
    <message>
        <source>A linked resource names a donation that does not exist or was deleted.</source>
        <translation>链接资源所关联的捐赠记录不存在或已删除。</translation>
    </message>
    <message>
        <source>Satisfaction must be between {min} and {max}.</source>
        <translation>满意度应在 {min} 到 {max} 之间。</translation>
    </message>
    <message>
        <source>The evaluation names an objective that is not in this case&apos;s plan.</source>
        <translation>评估中有目标不属于本个案的服务计划。</translation>
    </message>
    <message>
        <source>The evaluation rates an objective twice.</source>
        <translation>评估中同一目标出现了两次。</translation>
    </message>
    <message>
        <source>Choose the closure type.</source>
        <translation>请选择结案类型。</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a closure type in the station&apos;s list.</source>
        <translation>“{value}”不在本站的结案类型列表中。</translation>
    </message>
    <message>
        <source>A referral closure needs the referral record it rests on.</source>
        <translation>转介结案须关联相应的转介记录。</translation>
    </message>
    <message>
        <source>A closure of this case is already awaiting approval.</source>
        <translation>该个案已有待审核的结案申请。</translation>
    </message>
    <message>
        <source>The chosen referral is not a referral out of this case.</source>
        <translation>所选转介记录不是该个案的转出记录。</translation>
    </message>
    <message>
        <source>Referring someone out needs their consent, unless it is a statutory duty or an emergency.</source>
        <translation>转出须取得服务对象同意（法定职责或紧急情况除外）。</translation>
    </message>
    <message>
        <source>Give the organisation the person is referred to.</source>
        <translation>请填写转介接收方。</translation>
    </message>
    <message>
        <source>Give who referred the person to the station.</source>
        <translation>请填写转介来源（转出方）。</translation>
    </message>
    <message>
        <source>Give the reason for reopening the case.</source>
        <translation>请填写重新开案的原因。</translation>
    </message>
    <message>
        <source>Only a closed case can be reopened.</source>
        <translation>只有已结案的个案才能重新开案。</translation>
    </message>
    <message>
        <source>The case has no needs assessment yet, so there is none to print.</source>
        <translation>该个案还没有需求评估表，无法打印。</translation>
    </message>
    <message>
        <source>The case has no service plan yet, so there is none to print.</source>
        <translation>该个案还没有服务计划，无法打印。</translation>
    </message>
    <message>
        <source>The case has no closure report yet, so there is none to print.</source>
        <translation>该个案还没有结案报告，无法打印。</translation>
    </message>
    <message>
        <source>The case has no referral, so there is none to print.</source>
        <translation>该个案没有转介记录，无法打印。</translation>
    </message>
    <message>
        <source>The case has no service record number {seq} (it has {count}); check the number.</source>
        <translation>该个案没有第 {seq} 次服务记录（共 {count} 次），请核对次数。</translation>
    </message>
    <message>
        <source>That worker has left or is deactivated; choose a current worker.</source>
        <translation>该工作人员已离职或停用，请选择在岗人员。</translation>
    </message>
    <message>
        <source>The export template for the volunteer system is malformed (sheet {sheet}). Correct it in Settings.</source>
        <translation>志愿服务系统导出模板格式不对（{sheet} 表），请在设置中改正。</translation>
    </message>
    <message>
        <source>The export template for the volunteer system names an unknown field {field_name} (sheet {sheet}). Correct it in Settings.</source>
        <translation>志愿服务系统导出模板中的字段 {field_name}（{sheet} 表）无法识别，请在设置中改正。</translation>
    </message>
    <message>
        <source>The user name or password is wrong. After {remaining} more wrong tries the account is locked for 15 minutes.</source>
        <translation>用户名或密码不对。再错 {remaining} 次，账号将被锁定 15 分钟。</translation>
    </message>
    <message>
        <source>Too many wrong passwords: the account is locked. Try again in {minutes} minutes, or ask the station head to reset the password.</source>
        <translation>密码错误次数太多，账号已被锁定。请 {minutes} 分钟后再试，或请站长重置密码。</translation>
    </message>
    <message>
        <source>This account has been switched off. Ask the station head.</source>
        <translation>这个账号已被停用，请找站长。</translation>
    </message>
    <message>
        <source>The password is too weak: use at least {min} characters, not only digits, and not the user name or the old password.</source>
        <translation>密码太简单：至少 {min} 个字符，不能全是数字，也不能与用户名或旧密码相同。</translation>
    </message>
    <message>
        <source>Enter the user name.</source>
        <translation>请填写用户名。</translation>
    </message>
    <message>
        <source>The user name is too long; at most {max} characters.</source>
        <translation>用户名太长，最多 {max} 个字符。</translation>
    </message>
    <message>
        <source>The user name cannot contain spaces.</source>
        <translation>用户名中不能有空格。</translation>
    </message>
    <message>
        <source>Enter the name shown for this account.</source>
        <translation>请填写账号的显示名称。</translation>
    </message>
    <message>
        <source>The name shown is too long; at most {max} characters.</source>
        <translation>显示名称太长，最多 {max} 个字符。</translation>
    </message>
    <message>
        <source>An account named &apos;{username}&apos; already exists. Choose another user name.</source>
        <translation>已有名为“{username}”的账号，请换一个用户名。</translation>
    </message>
    <message>
        <source>There is no account named &apos;{username}&apos;.</source>
        <translation>没有名为“{username}”的账号。</translation>
    </message>
    <message>
        <source>This role cannot be given here.</source>
        <translation>这里不能设置这个角色。</translation>
    </message>
    <message>
        <source>The recovery passphrase only resets the station head&apos;s password. Ask the station head to reset yours.</source>
        <translation>恢复口令只能重置站长的密码。请找站长为您重置密码。</translation>
    </message>
    <message>
        <source>This is the last station head account, so it cannot be switched off.</source>
        <translation>这是最后一个站长账号，不能停用。</translation>
    </message>
    <message>
        <source>Enter the recovery passphrase.</source>
        <translation>请输入恢复口令。</translation>
    </message>
    <message>
        <source>This station has no recovery passphrase yet. The first backup to a USB stick sets one.</source>
        <translation>本站还没有设置恢复口令。第一次备份到U盘时会设置。</translation>
    </message>
    <message>
        <source>The passphrase does not open this backup. Type the recovery passphrase from the recovery sheet that was valid when the backup was made.</source>
        <translation>这个口令打不开该备份。请输入备份当时所用的、数据恢复单上的恢复口令。</translation>
    </message>
    <message>
        <source>The backup file was not found. Check the USB stick.</source>
        <translation>找不到备份文件，请检查U盘。</translation>
    </message>
    <message>
        <source>This file is not a Wushe backup. Choose a .wbak file or an automatic backup.</source>
        <translation>这个文件不是五社联动的备份。请选择 .wbak 文件或自动备份。</translation>
    </message>
    <message>
        <source>The backup is damaged or incomplete; nothing was changed. Use an older backup.</source>
        <translation>备份已损坏或不完整，没有做任何改动。请改用更早的备份。</translation>
    </message>
    <message>
        <source>The backup cannot be read. Check the USB stick, or copy the file to this PC first.</source>
        <translation>无法读取备份。请检查U盘，或先把文件复制到这台电脑上。</translation>
    </message>
    <message>
        <source>The backup was made by a newer version of this program. Install the newer version first.</source>
        <translation>这个备份是由新版本程序做的，请先安装新版本。</translation>
    </message>
    <message>
        <source>The backup holds no station, so it cannot be restored.</source>
        <translation>备份中没有站点信息，无法恢复。</translation>
    </message>
    <message>
        <source>The backup belongs to station {backup}, but this database is station {current}. Nothing was changed.</source>
        <translation>这是站点 {backup} 的备份，而本数据库属于站点 {current}。没有做任何改动。</translation>
    </message>
    <message>
        <source>The backup cannot be written over the database itself. Choose another folder.</source>
        <translation>备份不能覆盖数据库本身，请选择别的文件夹。</translation>
    </message>
    <message>
        <source>The backup cannot be written there. Check that the USB stick is in and not full, and that the folder can be written.</source>
        <translation>无法在那里写入备份。请检查U盘已插好、没有写满，并且文件夹可以写入。</translation>
    </message>
    <message>
        <source>Backups work only for a database file on this PC.</source>
        <translation>只能备份本机上的数据库文件。</translation>
    </message>
    <message>
        <source>The form is too long to keep as a draft; save it now so nothing is lost.</source>
        <translation>表单内容太长，无法保存为草稿；请现在保存，以免丢失。</translation>
    </message>
    <message>
        <source>Choose the client: type a name, pinyin initials or the ID number&apos;s last digits.</source>
        <translation>请选择服务对象：输入姓名、拼音首字母或身份证号后几位。</translation>
    </message>
    <message>
        <source>Type the amount as a number, like 200 or 12.5.</source>
        <translation>请按数字填写金额，如 200 或 12.5。</translation>
    </message>
    <message>
        <source>Type the time like 9:30 or 14:05.</source>
        <translation>请按 9:30 或 14:05 的格式填写时间。</translation>
    </message>
    <message>
        <source>Two columns of the roster mean &apos;{column}&apos;.</source>
        <translation>名册中有两列都表示“{column}”。</translation>
    </message>
    <message>
        <source>The same ID number is already on row {first_row} of the file.</source>
        <translation>与文件第 {first_row} 行的证件号码重复。</translation>
    </message>
    <message>
        <source>A volunteer needs an ID number.</source>
        <translation>志愿者须填写证件号码。</translation>
    </message>
    <message>
        <source>{count} people already registered have this ID number; merge them first or leave the row out.</source>
        <translation>已有 {count} 人登记了该证件号码，请先合并，或跳过该行。</translation>
    </message>
    <message>
        <source>Write the sex as 男 or 女.</source>
        <translation>性别请填“男”或“女”。</translation>
    </message>
    <message>
        <source>The date is not a real date like 1956-03-12.</source>
        <translation>日期无效，应为 1956-03-12 这样的格式。</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not an ethnicity in the list.</source>
        <translation>“{value}”不在民族列表中。</translation>
    </message>
    <message>
        <source>&apos;{value}&apos; is not a category in the station&apos;s list (add it in Settings if it is needed).</source>
        <translation>“{value}”不在本站的服务对象类别中（如确需要，可在“设置”中添加）。</translation>
    </message>
    <message>
        <source>The text has {length} characters; at most {max} fit.</source>
        <translation>内容有 {length} 个字，最多只能填 {max} 个。</translation>
    </message>
    <message>
        <source>A volunteer under 18 needs the guardian&apos;s consent; keep the signed form on file.</source>
        <translation>未满 18 周岁的志愿者须经监护人同意，请留存签字的同意书。</translation>
    </message>
    <message>
        <source>Your role may not see full ID numbers. Ask the station head if you need the number.</source>
        <translation>您的角色无权查看完整证件号码。如确需该号码，请找站长。</translation>
    </message>
    <message>
        <source>Only the station head can change the settings.</source>
        <translation>只有站长可以修改设置。</translation>
    </message>
    <message>
        <source>The text has {length} characters; at most {max} are allowed.</source>
        <translation>内容有 {length} 个字，最多允许 {max} 个。</translation>
    </message>
    <message>
        <source>Write the name of the list entry.</source>
        <translation>请填写条目名称。</translation>
    </message>
    <message>
        <source>Write the village&apos;s or community&apos;s name.</source>
        <translation>请填写村（社区）名称。</translation>
    </message>
    <message>
        <source>Choose another worker to hand the cases over to.</source>
        <translation>移交对象不能是同一名社工，请另选。</translation>
    </message>
    <message>
        <source>This worker is no longer in the records.</source>
        <translation>记录中已没有这名工作人员。</translation>
    </message>
    <message>
        <source>The card file is not valid. Get the card again.</source>
        <translation>名片文件无效，请重新获取名片。</translation>
    </message>
    <message>
        <source>The card was altered. Get the card again.</source>
        <translation>名片已被改动，请重新获取名片。</translation>
    </message>
    <message>
        <source>A fingerprint written on the card does not match its key. Get the card again.</source>
        <translation>名片上写的指纹与其密钥不符，请重新获取名片。</translation>
    </message>
    <message>
        <source>The card&apos;s key fingerprint is not the one compared; it was not registered. Call the other side again.</source>
        <translation>名片的密钥指纹与核对的指纹不一致，未登记。请再次与对方电话核对。</translation>
    </message>
    <message>
        <source>The card was made by a newer version of this program. Install the newer version first.</source>
        <translation>名片由更新版本的程序生成，请先安装新版本。</translation>
    </message>
    <message>
        <source>A key fingerprint is 32 characters 0-9 and A-F, in eight groups of four.</source>
        <translation>密钥指纹由 32 个 0–9、A–F 字符组成，分为 8 组，每组 4 个。</translation>
    </message>
    <message>
        <source>The key change statement is not valid. Get it again.</source>
        <translation>密钥更换声明无效，请重新获取。</translation>
    </message>
    <message>
        <source>The key change statement was altered. Get it again.</source>
        <translation>密钥更换声明已被改动，请重新获取。</translation>
    </message>
    <message>
        <source>The key change statement was not signed by the key registered now, so it was refused. Register the station&apos;s new card after comparing its fingerprint on the phone.</source>
        <translation>密钥更换声明不是用当前已登记的密钥签名的，已拒绝。请电话核对指纹后登记该站的新名片。</translation>
    </message>
    <message>
        <source>The bundle cannot be read. Check the USB stick and copy the file again.</source>
        <translation>无法读取数据包，请检查 U 盘并重新复制文件。</translation>
    </message>
    <message>
        <source>The file is larger than a bundle may be. Ask the station for a bundle of its changes only.</source>
        <translation>文件超过数据包的大小上限，请让社工站只导出新增和更改的数据。</translation>
    </message>
    <message>
        <source>The file is not a bundle. Choose the .wsb file the station exported.</source>
        <translation>该文件不是数据包，请选择社工站导出的 .wsb 文件。</translation>
    </message>
    <message>
        <source>The bundle is cut off. Copy it again (remove the USB stick safely first).</source>
        <translation>数据包不完整，请重新复制（拔 U 盘前请先安全弹出）。</translation>
    </message>
    <message>
        <source>The bundle&apos;s layout was altered; nothing was imported. Ask the station to export it again.</source>
        <translation>数据包的结构被改动过，未导入任何数据。请让社工站重新导出。</translation>
    </message>
    <message>
        <source>The bundle was altered (it holds a file named like a path); nothing was imported.</source>
        <translation>数据包已被改动（含有路径形式的文件名），未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle was altered (it holds a file twice); nothing was imported.</source>
        <translation>数据包已被改动（含有重复的文件），未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle was altered (its files are not the three it must hold); nothing was imported.</source>
        <translation>数据包已被改动（其中的文件与规定不符），未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle was altered (its file headers disagree); nothing was imported.</source>
        <translation>数据包已被改动（文件头信息前后不一致），未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle&apos;s list of contents is over the size limit; nothing was imported.</source>
        <translation>数据包清单超过大小上限，未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle&apos;s signature does not verify: the file was altered or damaged, and nothing was imported. Ask the station to export it again.</source>
        <translation>数据包签名验证失败：文件被改动或已损坏，未导入任何数据。请让社工站重新导出。</translation>
    </message>
    <message>
        <source>The bundle comes from the demo station; demo data is never imported.</source>
        <translation>数据包来自演示站点，演示数据不会导入。</translation>
    </message>
    <message>
        <source>The bundle comes from a station not registered here. Register the station&apos;s card first (Station register).</source>
        <translation>数据包来自本中心未登记的社工站，请先在“站点登记”中登记该站的名片。</translation>
    </message>
    <message>
        <source>The bundle was signed with a key this centre has not registered (a new PC or a key change). Compare the fingerprint with the station by phone and register its new card.</source>
        <translation>数据包的签名密钥未在本中心登记（可能换了电脑或更换了密钥）。请与社工站电话核对指纹后登记其新名片。</translation>
    </message>
    <message>
        <source>The bundle was signed with a revoked key; nothing was imported. The station must make a new key and register its new card.</source>
        <translation>数据包使用已作废的密钥签名，未导入任何数据。请该社工站生成新密钥，并重新登记新名片。</translation>
    </message>
    <message>
        <source>The bundle&apos;s list of contents is not valid. Ask the station to export again with the current version of the program.</source>
        <translation>数据包清单无效，请社工站用当前版本的程序重新导出。</translation>
    </message>
    <message>
        <source>The bundle was made by a newer version of this program. Upgrade the centre&apos;s program first.</source>
        <translation>数据包由更新版本的程序生成，请先升级中心的程序。</translation>
    </message>
    <message>
        <source>The bundle uses a signing or encryption method this program does not know. Upgrade the centre&apos;s program.</source>
        <translation>数据包使用了本程序不支持的签名或加密方式，请升级中心的程序。</translation>
    </message>
    <message>
        <source>The bundle was made for another centre&apos;s key. The station must import this centre&apos;s card and export the bundle again.</source>
        <translation>该数据包是为其他中心的密钥制作的。请社工站导入本中心的名片后重新导出数据包。</translation>
    </message>
    <message>
        <source>The bundle comes from a database version this program does not know. Upgrade the centre&apos;s program.</source>
        <translation>数据包来自本程序无法识别的数据库版本，请升级中心的程序。</translation>
    </message>
    <message>
        <source>The bundle&apos;s data does not match its signed list of contents: the file was altered, and nothing was imported. Ask the station to export it again.</source>
        <translation>数据包内容与签名清单不符：文件已被改动，未导入任何数据。请让社工站重新导出。</translation>
    </message>
    <message>
        <source>The bundle&apos;s data cannot be decrypted or is cut short; nothing was imported.</source>
        <translation>数据包内容无法解密或不完整，未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle unpacks to more than the limit; nothing was imported.</source>
        <translation>数据包解压后超过大小上限，未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle holds a record that is not valid; nothing was imported. Tell the station.</source>
        <translation>数据包中有无效的记录，未导入任何数据，请告知该社工站。</translation>
    </message>
    <message>
        <source>The bundle holds records of another station, so none of it was imported.</source>
        <translation>数据包中含有其他社工站的记录，整个数据包均未导入。</translation>
    </message>
    <message>
        <source>The bundle&apos;s record counts do not match its list of contents; nothing was imported.</source>
        <translation>数据包的记录数与清单不符，未导入任何数据。</translation>
    </message>
    <message>
        <source>The bundle file changed while it was checked. Copy it to this PC and import it again.</source>
        <translation>检查过程中数据包文件发生了变化，请把文件复制到本机后重新导入。</translation>
    </message>
    <message>
        <source>No station with code {station_code} is registered at this centre.</source>
        <translation>本中心没有登记站点代码为 {station_code} 的社工站。</translation>
    </message>
    <message>
        <source>That is the demo station&apos;s card; demo stations are never registered.</source>
        <translation>这是演示站点的名片，演示站点不能登记。</translation>
    </message>
    <message>
        <source>Key {fingerprint} of station {station_code} was revoked and is never registered again. The station must make a new key.</source>
        <translation>{station_code} 的密钥 {fingerprint} 已作废，不能再次登记。请该社工站生成新密钥。</translation>
    </message>
    <message>
        <source>Station {station_code}&apos;s key is revoked, so its key change statement is refused. Register its new card after comparing the fingerprint on the phone.</source>
        <translation>社工站 {station_code} 的密钥已作废，其密钥更换声明不予受理。请电话核对指纹后登记其新名片。</translation>
    </message>
    <message>
        <source>The bundle holds records whose identity belongs to another station&apos;s records; nothing was imported. Tell technical support.</source>
        <translation>数据包中有记录与其他社工站的记录标识相同，未导入任何数据，请联系技术支持。</translation>
    </message>
    <message>
        <source>The bundle&apos;s records clash with records the centre already holds from station {station} (for example the station set up a new database instead of restoring its backup); nothing was imported. Tell technical support.</source>
        <translation>数据包中的记录与中心已有的 {station} 记录冲突（例如该站新建了数据库而没有恢复备份），未导入任何数据，请联系技术支持。</translation>
    </message>
    <message>
        <source>The bundle refers to records of station {station} that the centre never received; nothing was imported. Ask the station for a full export.</source>
        <translation>数据包引用了中心从未收到的 {station} 记录，未导入任何数据。请社工站做一次完整导出。</translation>
    </message>
    <message>
        <source>The bundle holds a value the centre cannot store ({table}.{column}); nothing was imported. The station&apos;s or the centre&apos;s program may need upgrading.</source>
        <translation>数据包中有中心无法保存的值（{table}.{column}），未导入任何数据。社工站或中心的程序可能需要升级。</translation>
    </message>
    <message>
        <source>The bundle holds a kind of record ({table}) that is never exchanged; nothing was imported.</source>
        <translation>数据包中含有不应交换的记录类型（{table}），未导入任何数据。</translation>
    </message>
    <message>
        <source>This PC does not hold the private key of {code} (a new PC, or a restored backup). Make a new key and have it registered again.</source>
        <translation>本机没有 {code} 的私钥（换了电脑或恢复了备份）。请生成新密钥并重新登记。</translation>
    </message>
    <message>
        <source>This must be filled in.</source>
        <translation>此项必须填写。</translation>
    </message>
    <message>
        <source>A number of people cannot be negative.</source>
        <translation>人数不能为负数。</translation>
    </message>
    <message>
        <source>The amount cannot be negative.</source>
        <translation>金额不能为负数。</translation>
    </message>
    <message>
        <source>The session number starts at 1.</source>
        <translation>活动节次应从 1 开始。</translation>
    </message>
    <message>
        <source>A group session must name its group.</source>
        <translation>小组活动须选择所属小组。</translation>
    </message>
    <message>
        <source>Only a group session can belong to a group; change the activity type or remove the group.</source>
        <translation>只有小组活动才能关联小组，请修改活动类型或取消关联小组。</translation>
    </message>
    <message>
        <source>The activity has {lines} volunteer hour lines; void them before deleting it.</source>
        <translation>该活动已有 {lines} 条志愿服务时长记录，请先作废后再删除活动。</translation>
    </message>
    <message>
        <source>Each sign-in line needs exactly one of: a person served, a volunteer, or a name.</source>
        <translation>签到名单的每一行须且只能填写服务对象、志愿者或姓名中的一项。</translation>
    </message>
    <message>
        <source>This person is already on the sign-in roster.</source>
        <translation>该人员已在签到名单中。</translation>
    </message>
    <message>
        <source>Give the donor&apos;s name, or choose Anonymous as the donor type.</source>
        <translation>请填写捐赠人名称，或把捐赠人类型选为“匿名”。</translation>
    </message>
    <message>
        <source>A money donation needs an amount above zero.</source>
        <translation>货币捐赠须填写大于零的金额。</translation>
    </message>
    <message>
        <source>Name the charity that received the money; a station cannot receive money donations itself.</source>
        <translation>请填写依法接收这笔资金的慈善组织；社工站本身不能接收资金捐赠。</translation>
    </message>
    <message>
        <source>Only a money donation has an amount; value goods per line instead.</source>
        <translation>只有资金捐赠才填写金额；物资请逐行填写单价估值。</translation>
    </message>
    <message>
        <source>A goods donation needs at least one goods line.</source>
        <translation>物资捐赠至少需要一项物资明细。</translation>
    </message>
    <message>
        <source>Only a goods donation has goods lines.</source>
        <translation>只有物资捐赠才能填写物资明细。</translation>
    </message>
    <message>
        <source>A restricted donation needs its purpose.</source>
        <translation>定向捐赠须填写用途。</translation>
    </message>
    <message>
        <source>Only an anonymous donation goes without a receipt as anonymous.</source>
        <translation>只有匿名捐赠才能选择“匿名（无票据）”。</translation>
    </message>
    <message>
        <source>Give the number of the receipt the charity issued.</source>
        <translation>请填写慈善组织开具的捐赠票据号码。</translation>
    </message>
    <message>
        <source>Part of this donation has already been handed out, so it cannot be changed that way.</source>
        <translation>这笔捐赠已有部分发放，不能这样修改或删除。</translation>
    </message>
    <message>
        <source>More than that has already been handed out; the donation cannot be reduced below it.</source>
        <translation>已发放的数量（金额）超过修改后的数额，不能调低。</translation>
    </message>
    <message>
        <source>The quantity must be more than zero.</source>
        <translation>物资数量必须大于零。</translation>
    </message>
    <message>
        <source>The goods were already past their expiry date when received.</source>
        <translation>该物资在接收时已过期。</translation>
    </message>
    <message>
        <source>Say who received it: choose a person served or an activity.</source>
        <translation>请选择发放对象：服务对象或活动。</translation>
    </message>
    <message>
        <source>Choose which goods are handed out.</source>
        <translation>请选择发放的物资。</translation>
    </message>
    <message>
        <source>The goods chosen do not belong to this donation.</source>
        <translation>所选物资不属于这笔捐赠。</translation>
    </message>
    <message>
        <source>Goods are handed out by quantity; leave the amount empty.</source>
        <translation>物资按数量发放，请不要填写金额。</translation>
    </message>
    <message>
        <source>The quantity handed out must be more than zero.</source>
        <translation>发放数量必须大于零。</translation>
    </message>
    <message>
        <source>The amount handed out must be more than zero.</source>
        <translation>发放金额必须大于零。</translation>
    </message>
    <message>
        <source>That is more than what is left of the donation.</source>
        <translation>发放数量（金额）超过这笔捐赠的剩余库存。</translation>
    </message>
    <message>
        <source>The goods expired on {expiry} and cannot be handed out.</source>
        <translation>该物资已于 {expiry} 过期，不能发放。</translation>
    </message>
    <message>
        <source>Only money and goods donations are handed out.</source>
        <translation>只有资金和物资捐赠可以发放。</translation>
    </message>
    <message>
        <source>A sign-in sheet has {min} to {max} rows.</source>
        <translation>签到表的行数应在 {min} 到 {max} 之间。</translation>
    </message>
    <message>
        <source>Give the month like 2026-11.</source>
        <translation>月份请按 2026-11 的格式填写。</translation>
    </message>
    <message>
        <source>Import the centre&apos;s card first (Data sync, Import centre card): bundles are encrypted to the centre&apos;s key and its receipts are checked with it.</source>
        <translation>请先导入中心名片（数据同步 → 导入中心名片）：数据包要用中心的密钥加密，回执也要用它核验。</translation>
    </message>
    <message>
        <source>A centre card is already imported (fingerprint {current}); the new card has fingerprint {new}. Check it with the centre by phone before replacing it.</source>
        <translation>已导入过中心名片（指纹 {current}），新名片的指纹为 {new}。请先与中心电话核对，再决定是否替换。</translation>
    </message>
    <message>
        <source>The receipt file is not valid. Ask the centre for the receipt again.</source>
        <translation>回执文件无效，请向中心重新索取回执。</translation>
    </message>
    <message>
        <source>The receipt was altered. Ask the centre for it again.</source>
        <translation>回执已被改动，请向中心重新索取。</translation>
    </message>
    <message>
        <source>The receipt was not signed by this station&apos;s centre. Import the right centre card or the right receipt.</source>
        <translation>该回执不是本站所属中心签发的，请导入正确的中心名片或回执。</translation>
    </message>
    <message>
        <source>The receipt is for another station, not this one.</source>
        <translation>该回执是发给其他社工站的，不是本站的。</translation>
    </message>
    <message>
        <source>The receipt was made by a newer version of this program. Install the newer version first.</source>
        <translation>回执由更新版本的程序生成，请先安装新版本。</translation>
    </message>
    <message>
        <source>A volunteer team with this name already exists. Choose another name or use that team.</source>
        <translation>已有同名的志愿服务队伍。请换一个名称，或直接使用该队伍。</translation>
    </message>
    <message>
        <source>No station head is on file to sign as handling officer. Add the station head under Settings first.</source>
        <translation>尚未登记站长，无法作为经办人签署。请先在“设置”中添加站长。</translation>
    </message>
    <message>
        <source>Only the station head can issue volunteer service certificates.</source>
        <translation>只有站长可以开具志愿服务记录证明。</translation>
    </message>
    <message>
        <source>There is nothing to print in the period chosen.</source>
        <translation>所选期间内没有可打印的记录。</translation>
    </message>
    <message>
        <source>The sheet name {name} cannot be used in Excel: at most {max} characters, and none of / ? * : [ ] or a backslash.</source>
        <translation>表名“{name}”不能用于 Excel：最多 {max} 个字，且不能含有 / ? * : [ ] 或反斜杠。</translation>
    </message>
    <message>
        <source>The two sheets need different names.</source>
        <translation>两个表的名称不能相同。</translation>
    </message>
    <message>
        <source>The database address {url} cannot be used: give a SQLite file, or a PostgreSQL address like postgresql+psycopg://user:password@server/database.</source>
        <translation>数据库地址 {url} 无法使用：请给出 SQLite 文件，或形如 postgresql+psycopg://用户:密码@服务器/数据库 的 PostgreSQL 地址。</translation>
    </message>
    <message>
        <source>The driver for {driver} databases is not installed; use the packaged program, or ask technical support to install the PostgreSQL extra.</source>
        <translation>没有安装 {driver} 数据库的驱动程序；请使用安装包版本的程序，或请技术支持安装 PostgreSQL 扩展。</translation>
    </message>
    <message>
        <source>The database server {server} cannot be reached. Check that it is running and that this PC can reach it, then try again.</source>
        <translation>无法连接数据库服务器 {server}。请确认服务器已启动、本机网络能访问它，然后重试。</translation>
    </message>
    <message>
        <source>The database server {server} refused the login. Check the user name and password in the address.</source>
        <translation>数据库服务器 {server} 拒绝登录。请检查地址中的用户名和密码。</translation>
    </message>
    <message>
        <source>The database server {server} has no database of that name. Create it first or correct the address.</source>
        <translation>数据库服务器 {server} 上没有这个数据库。请先创建，或更正地址。</translation>
    </message>
</context>
<context>
    <name>NavigatedWindow</name>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
</context>
<context>
    <name>NewAccountDialog</name>
    <message>
        <source>New account</source>
        <translation>新建账号</translation>
    </message>
    <message>
        <source>Letters or pinyin, e.g. wulan</source>
        <translation>用字母或拼音，如 wulan</translation>
    </message>
    <message>
        <source>(not linked to a staff record)</source>
        <translation>（不关联工作人员）</translation>
    </message>
    <message>
        <source>Staff member</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Name shown</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Give the password to the person in private; they can change it later under System → Change password.</source>
        <translation>请私下把密码告诉本人；本人以后可以在“系统 → 修改密码”里修改。</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>创建账号</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>NewFaceDialog</name>
    <message>
        <source>Add a new face</source>
        <translation>添加新面孔</translation>
    </message>
    <message>
        <source>May stay empty</source>
        <translation>可不填</translation>
    </message>
    <message>
        <source>Also register them as a person served (name and phone only; the rest can be added later)</source>
        <translation>同时登记为服务对象（只需姓名和电话，其他信息以后补充）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Took part as</source>
        <translation>参与身份</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Month</source>
        <extracomment>Days without contact the supervision filter and print start with.</extracomment>
        <translation>按月</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>按年</translation>
    </message>
    <message>
        <source>Custom period</source>
        <translation>自定义时段</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>统计时段：</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>社工站</translation>
    </message>
    <message>
        <source>Last bundle</source>
        <translation>最近数据包</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>报送状态</translation>
    </message>
    <message>
        <source>Key revoked</source>
        <translation>密钥已作废</translation>
    </message>
    <message>
        <source>Nothing received</source>
        <translation>尚未报送</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Bundles missing</source>
        <translation>缺少数据包</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>None yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>No. {sequence}, {when}</source>
        <translation>第 {sequence} 号，{when}</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>{count} stations registered; figures for {span}.</source>
        <translation>已登记 {count} 个社工站；统计时段 {span}。</translation>
    </message>
    <message>
        <source>Station figures {start} to {end}.xlsx</source>
        <translation>各站统计 {start} 至 {end}.xlsx</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Excel files (*.xlsx)</source>
        <translation>Excel 文件 (*.xlsx)</translation>
    </message>
    <message>
        <source>Saved {count} stations and the totals to {path}.</source>
        <translation>已把 {count} 个社工站的数字和合计保存到 {path}。</translation>
    </message>
    <message>
        <source>Station figures</source>
        <translation>各站统计</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Station code: {code}</source>
        <translation>站点代码：{code}</translation>
    </message>
    <message>
        <source>Overdue (no bundle for over {days} days, highlighted): {names}.</source>
        <translation>逾期未报送（超过 {days} 天没有数据包，已标红）：{names}。</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>A station is overdue when no bundle of it was imported for this many days.</source>
        <translation>站点超过这么多天没有导入数据包，即视为逾期。</translation>
    </message>
    <message>
        <source>Overdue after:</source>
        <translation>逾期天数：</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <source>Recovery passphrase</source>
        <translation>恢复口令</translation>
    </message>
    <message>
        <source>Backups are locked with this passphrase. Write it on the recovery sheet and keep the sheet in the station&apos;s safe: without it, a backup cannot be restored on a new PC.</source>
        <translation>备份用这个口令加密。请把口令写在恢复单上，并把恢复单放在站里的保险柜中：没有它，就无法在新电脑上恢复备份。</translation>
    </message>
    <message>
        <source>At least {count} characters. A short sentence is easier to remember than a code.</source>
        <translation>至少 {count} 个字符。一句简短的话比一串代码更好记。</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>再次输入口令</translation>
    </message>
    <message>
        <source>Print the passphrase on the recovery sheet (otherwise you write it in by hand)</source>
        <translation>把恢复口令印在数据恢复单上（不选则由您亲笔填写）</translation>
    </message>
    <message>
        <source>When you finish, the recovery sheet opens for printing: sign it and lock it in the safe.</source>
        <translation>完成后会打开数据恢复单供打印：请签名后锁进保险柜。</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>{count} page(s)</source>
        <translation>共 {count} 页</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Save as &amp;PDF…</source>
        <translation>另存为 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>The printer could not be started. Check that it is switched on and connected, or save the form as a PDF and print that.</source>
        <translation>无法启动打印机。请检查打印机是否已开机并连接好，或先另存为 PDF 再打印。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>The PDF could not be saved to {path}: {reason}. Choose another folder (a USB stick may be full or write-protected).</source>
        <translation>无法将 PDF 保存到 {path}：{reason}。请换一个文件夹（U盘可能已满或处于写保护状态）。</translation>
    </message>
    <message>
        <source>Preparing the printout…</source>
        <translation>正在生成打印文件…</translation>
    </message>
</context>
<context>
    <name>PendingHoursView</name>
    <message>
        <source>Tick the lines you have checked, then confirm them in one action. Confirmed hours count for the volunteer&apos;s total, stars and certificates; later changes need a correction with a reason.</source>
        <translation>勾选已核实的记录，一次确认。确认后的时长计入志愿者累计时长、星级和证明；之后如需修改，须填写原因进行更正。</translation>
    </message>
    <message>
        <source>Volunteer</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Tick all</source>
        <translation>全选</translation>
    </message>
    <message>
        <source>Untick all</source>
        <translation>全不选</translation>
    </message>
    <message>
        <source>Open volunteer</source>
        <translation>查看该志愿者</translation>
    </message>
    <message>
        <source>Confirm ticked lines</source>
        <translation>确认勾选的记录</translation>
    </message>
    <message>
        <source>Tick the lines to confirm first.</source>
        <translation>请先勾选要确认的记录。</translation>
    </message>
    <message>
        <source>{count} lines await confirmation; {ticked} ticked ({hours} hours).</source>
        <translation>共 {count} 条待确认，已勾选 {ticked} 条（{hours} 小时）。</translation>
    </message>
    <message>
        <source>Confirm {count} ticked lines</source>
        <translation>确认勾选的 {count} 条</translation>
    </message>
</context>
<context>
    <name>PeopleList</name>
    <message>
        <source>People served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Search: name, pinyin initials (e.g. wgh), last digits of the ID number or phone</source>
        <translation>搜索：姓名、拼音首字母（如 wgh）、身份证号码或电话号码后几位</translation>
    </message>
    <message>
        <source>people-served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部类别</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>现居住地</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>Who works here and where</source>
        <translation>人员和服务范围</translation>
    </message>
    <message>
        <source>List the villages, gachas and communities the station serves, one per line. You can change them later in Settings.</source>
        <translation>填写本站服务的村、嘎查和社区，每行一个。以后可以在“设置”中修改。</translation>
    </message>
    <message>
        <source>Station head&apos;s name</source>
        <translation>站长姓名</translation>
    </message>
    <message>
        <source>Villages and communities served</source>
        <translation>服务的村（嘎查）和社区</translation>
    </message>
    <message>
        <source>Import from Excel…</source>
        <translation>从Excel导入…</translation>
    </message>
    <message>
        <source>Add people from a roster (xlsx or csv, e.g. saved by WPS). You see every problem before anything is saved.</source>
        <translation>从花名册（xlsx 或 csv，如 WPS 保存的文件）添加服务对象。保存前会先列出所有问题。</translation>
    </message>
    <message>
        <source>Saved: {name}.</source>
        <translation>已保存：{name}。</translation>
    </message>
    <message>
        <source>Letters or pinyin, e.g. wulan</source>
        <translation>用字母或拼音，如 wulan</translation>
    </message>
    <message>
        <source>Head&apos;s user name</source>
        <translation>站长用户名</translation>
    </message>
    <message>
        <source>Head&apos;s password</source>
        <translation>站长密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>At least {count} characters, not only digits. Everyone who uses this PC gets an account of their own later (System → Accounts).</source>
        <translation>至少 {count} 个字符，不能全是数字。以后每位使用这台电脑的人都在“系统 → 账号管理”里开自己的账号。</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same password twice.</source>
        <translation>两次输入的密码不一致，请输入相同的密码。</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <source>Register a person served</source>
        <translation>登记服务对象</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>18 characters; birth date and sex are read from it</source>
        <translation>18 位；出生日期和性别会自动从号码中读取</translation>
    </message>
    <message>
        <source>e.g. 1956-03-12 (not needed with an ID number)</source>
        <translation>如 1956-03-12（填了身份证号码可不填）</translation>
    </message>
    <message>
        <source>None chosen</source>
        <translation>尚未选择</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Relation, e.g. grandmother</source>
        <translation>关系，如：祖母</translation>
    </message>
    <message>
        <source>Lives alone</source>
        <translation>独居</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Ethnicity</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Village or community</source>
        <translation>所属村（社区）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>现居住地</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Categories (tick every one that applies today)</source>
        <translation>类别（勾选目前符合的所有类别）</translation>
    </message>
    <message>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Residence permit (Hong Kong, Macao, Taiwan)</source>
        <translation>港澳台居民居住证</translation>
    </message>
    <message>
        <source>Foreigner&apos;s permanent residence ID card</source>
        <translation>外国人永久居留身份证</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Already registered with this ID number: {names}. Do not register them twice.</source>
        <translation>该证件号码已登记：{names}。请勿重复登记。</translation>
    </message>
    <message>
        <source>Edit a person served</source>
        <translation>编辑服务对象</translation>
    </message>
    <message>
        <source>Show full ID number</source>
        <translation>显示完整证件号</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>基本信息</translation>
    </message>
    <message>
        <source>Category history</source>
        <translation>类别记录</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>知情同意</translation>
    </message>
    <message>
        <source>Household</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <source>Held now. To end it, use the Category history tab.</source>
        <translation>目前享有。如需结束，请到“类别记录”页。</translation>
    </message>
    <message>
        <source>On file: {masked}</source>
        <translation>已登记：{masked}</translation>
    </message>
    <message>
        <source>Leave empty to keep the number on file; type a new number to replace it.</source>
        <translation>留空则保留已登记的号码；输入新号码则替换。</translation>
    </message>
    <message>
        <source>person&apos;s registration form</source>
        <translation>服务对象登记表</translation>
    </message>
</context>
<context>
    <name>PersonPicker</name>
    <message>
        <source>Choose a person</source>
        <translation>选择人员</translation>
    </message>
    <message>
        <source>Name, pinyin initials or last digits of the ID number</source>
        <translation>姓名、拼音首字母或身份证号码后几位</translation>
    </message>
    <message>
        <source>{name}, {age} years, {id}</source>
        <translation>{name}，{age} 岁，{id}</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>Service plan</source>
        <translation>服务计划</translation>
    </message>
    <message>
        <source>Sent back by {name}: {comment}</source>
        <translation>{name}退回意见：{comment}</translation>
    </message>
    <message>
        <source>e.g. 2027-03-01 (empty: reviewed after 90 days)</source>
        <translation>如 2027-03-01（不填则 90 天后检讨）</translation>
    </message>
    <message>
        <source>What the service aims at overall</source>
        <translation>服务的总目标</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>具体目标</translation>
    </message>
    <message>
        <source>How we know it is reached</source>
        <translation>达成指标</translation>
    </message>
    <message>
        <source>By (2027-03-01)</source>
        <translation>完成日期（2027-03-01）</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>行动</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>How often</source>
        <translation>频次</translation>
    </message>
    <message>
        <source>e.g. 6 months</source>
        <translation>如 6 个月</translation>
    </message>
    <message>
        <source>e.g. weekly home visit</source>
        <translation>如 每周家访一次</translation>
    </message>
    <message>
        <source>The client agreed to the plan</source>
        <translation>服务对象同意本计划</translation>
    </message>
    <message>
        <source>Submit to the station head for approval when saved</source>
        <translation>保存后提交站长审批</translation>
    </message>
    <message>
        <source>Made on</source>
        <translation>制定日期</translation>
    </message>
    <message>
        <source>Overall aim</source>
        <translation>总目标</translation>
    </message>
    <message>
        <source>Focus</source>
        <translation>服务重点</translation>
    </message>
    <message>
        <source>Objectives</source>
        <translation>具体目标</translation>
    </message>
    <message>
        <source>Strategies</source>
        <translation>介入策略</translation>
    </message>
    <message>
        <source>Expected duration</source>
        <translation>预计周期</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>服务频次</translation>
    </message>
    <message>
        <source>Review on</source>
        <translation>检讨日期</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <source>Unsaved changes</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>What you typed in this form is not saved yet. Close it and lose it?</source>
        <translation>表中填写的内容尚未保存。关闭并放弃这些内容吗？</translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation>不保存，关闭</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>继续填写</translation>
    </message>
</context>
<context>
    <name>RecoverySheetDialog</name>
    <message>
        <source>Print the recovery sheet</source>
        <translation>打印数据恢复单</translation>
    </message>
    <message>
        <source>The recovery sheet says where the backups are and how to bring the station back on a new PC. Print it, write the recovery passphrase in its box by hand, sign it and lock it in the station&apos;s safe.</source>
        <translation>数据恢复单写明备份在哪里、换新电脑后怎样恢复。请打印出来，在口令框里亲笔写上恢复口令，签名后锁进站里的保险柜。</translation>
    </message>
    <message>
        <source>Leave the passphrase box blank (write it by hand; safer)</source>
        <translation>口令框留空，由站长亲笔填写（更安全）</translation>
    </message>
    <message>
        <source>Print the passphrase on the sheet</source>
        <translation>把恢复口令印在单上</translation>
    </message>
    <message>
        <source>The recovery passphrase, to print it</source>
        <translation>要印在单上的恢复口令</translation>
    </message>
    <message>
        <source>Preview and print…</source>
        <translation>预览并打印…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Recovery sheet</source>
        <translation>数据恢复单</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <source>Referral</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>e.g. 土默特左旗医院, 镇司法所</source>
        <translation>如 土默特左旗医院、镇司法所</translation>
    </message>
    <message>
        <source>The service given so far</source>
        <translation>已提供的服务</translation>
    </message>
    <message>
        <source>What is passed on, e.g. 基本信息, 联系方式, 服务记录</source>
        <translation>提供的信息，如 基本信息、联系方式、服务记录</translation>
    </message>
    <message>
        <source>The client agreed separately to passing on this information</source>
        <translation>服务对象已单独同意提供上述信息</translation>
    </message>
    <message>
        <source>Referred on</source>
        <translation>转介日期</translation>
    </message>
    <message>
        <source>Referred to</source>
        <translation>转介至</translation>
    </message>
    <message>
        <source>Contact there</source>
        <translation>接收方联系人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Services so far</source>
        <translation>已提供服务</translation>
    </message>
    <message>
        <source>Information passed on</source>
        <translation>提供的信息</translation>
    </message>
    <message>
        <source>Legal basis</source>
        <translation>法律依据</translation>
    </message>
</context>
<context>
    <name>ReferralOutcomeDialog</name>
    <message>
        <source>Referral outcome</source>
        <translation>转介结果</translation>
    </message>
    <message>
        <source>What happened after the referral</source>
        <translation>转介后的跟进情况</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>接收方答复</translation>
    </message>
    <message>
        <source>Answered on</source>
        <translation>答复日期</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>跟进</translation>
    </message>
</context>
<context>
    <name>ReopenDialog</name>
    <message>
        <source>Reopen the case</source>
        <translation>重新开案</translation>
    </message>
    <message>
        <source>Why the case is opened again</source>
        <translation>重新开案的原因</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The case goes back to intervention. Closing it again needs a new evaluation and a closure report approved by the station head.</source>
        <translation>重新开案后，个案回到“介入”阶段；再次结案须重新评估，并经站长批准结案报告。</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>Set a temporary password for {name} ({username}). The account is unlocked, and they must choose their own password at the next login.</source>
        <translation>为 {name}（{username}）设一个临时密码。账号随即解锁，本人下次登录时必须改成自己的密码。</translation>
    </message>
    <message>
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ResourceLabels</name>
    <message>
        <source>Line {number}: {text}</source>
        <translation>第 {number} 行：{text}</translation>
    </message>
    <message>
        <source>Individual</source>
        <extracomment>The fields in the order the first error among them gets the focus. The kind of records a save changes (``ctx.events.changed``).</extracomment>
        <translation>个人</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>企业</translation>
    </message>
    <message>
        <source>Social organisation</source>
        <translation>社会组织</translation>
    </message>
    <message>
        <source>Public body</source>
        <translation>机关事业单位</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>匿名</translation>
    </message>
    <message>
        <source>Money</source>
        <translation>资金</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>物资</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Paper receipt</source>
        <translation>纸质捐赠票据</translation>
    </message>
    <message>
        <source>Electronic receipt</source>
        <translation>电子捐赠票据</translation>
    </message>
    <message>
        <source>Receipt not issued yet</source>
        <translation>票据尚未开具</translation>
    </message>
    <message>
        <source>Donor did not want a receipt</source>
        <translation>捐赠人不需要票据</translation>
    </message>
    <message>
        <source>Anonymous (no receipt)</source>
        <translation>匿名（无票据）</translation>
    </message>
</context>
<context>
    <name>ResourcesPage</name>
    <message>
        <source>Charity resources</source>
        <translation>慈善资源</translation>
    </message>
    <message>
        <source>◀ Previous month</source>
        <translation>◀ 上个月</translation>
    </message>
    <message>
        <source>Next month ▶</source>
        <translation>下个月 ▶</translation>
    </message>
    <message>
        <source>Record a donation…</source>
        <translation>登记捐赠…</translation>
    </message>
    <message>
        <source>Record a distribution…</source>
        <translation>登记发放…</translation>
    </message>
    <message>
        <source>Print the month&apos;s ledger…</source>
        <translation>打印本月台账…</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>In/out</source>
        <translation>收/支</translation>
    </message>
    <message>
        <source>Ledger number</source>
        <translation>台账编号</translation>
    </message>
    <message>
        <source>Donor</source>
        <translation>捐赠人</translation>
    </message>
    <message>
        <source>Money or goods</source>
        <translation>资金或物资</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Amount or value (yuan)</source>
        <translation>金额或价值（元）</translation>
    </message>
    <message>
        <source>Received by / given to</source>
        <translation>接收单位 / 发放对象</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>票据</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Month:</source>
        <translation>月份：</translation>
    </message>
    <message>
        <source>Recorded in the ledger as {no}.</source>
        <translation>已登记入台账，编号 {no}。</translation>
    </message>
    <message>
        <source>The distribution is recorded.</source>
        <translation>发放已登记。</translation>
    </message>
    <message>
        <source>Charity resources ledger {month}</source>
        <translation>慈善资源台账 {month}</translation>
    </message>
    <message>
        <source>Money: carried over {opening} yuan, received {received}, handed out {given}, balance {closing} yuan.</source>
        <translation>资金：上月结转 {opening} 元，本月收入 {received} 元，支出 {given} 元，结余 {closing} 元。</translation>
    </message>
    <message>
        <source>Goods (value): carried over {opening} yuan, received {received}, handed out {given}, in stock {closing} yuan.</source>
        <translation>物资（价值）：上月结转 {opening} 元，本月接收 {received} 元，发放 {given} 元，库存 {closing} 元。</translation>
    </message>
    <message>
        <source>In</source>
        <translation>收</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>支</translation>
    </message>
    <message>
        <source>No donations or distributions this month.</source>
        <translation>本月没有捐赠和发放记录。</translation>
    </message>
    <message>
        <source>{count} ledger lines this month.</source>
        <translation>本月台账共 {count} 条。</translation>
    </message>
    <message>
        <source>ledger-{month}</source>
        <translation>慈善资源台账-{month}</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore from a backup</source>
        <translation>从备份恢复</translation>
    </message>
    <message>
        <source>Choose the backup file (.wbak, usually on the backup USB stick). The data on this PC is replaced by the backup&apos;s; the current database is kept aside in the backups folder first.</source>
        <translation>请选择备份文件（.wbak，通常在备份U盘上）。这台电脑上的数据将被备份中的数据替换；替换前，当前数据库会先保留在 backups 文件夹里。</translation>
    </message>
    <message>
        <source>Choose backup file…</source>
        <translation>选择备份文件…</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>备份文件</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Taken on</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Recovery passphrase</source>
        <translation>恢复口令</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Choose the backup file</source>
        <translation>选择备份文件</translation>
    </message>
    <message>
        <source>Wushe backups (*{suffix} *.sqlite3);;All files (*)</source>
        <translation>五社联动备份 (*{suffix} *.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{name} ({code})</source>
        <translation>{name}（{code}）</translation>
    </message>
    <message>
        <source>(an automatic copy; see the file&apos;s date)</source>
        <translation>（自动备份，请看文件日期）</translation>
    </message>
    <message>
        <source>Encrypted backup</source>
        <translation>加密备份</translation>
    </message>
    <message>
        <source>Automatic copy (not encrypted)</source>
        <translation>自动备份（未加密）</translation>
    </message>
    <message>
        <source>Checking the passphrase…</source>
        <translation>正在核对恢复口令…</translation>
    </message>
    <message>
        <source>Replace the data on this PC with the backup of {name} taken {taken}? Everything recorded after the backup is no longer in the program (the current database is kept aside in the backups folder).</source>
        <translation>要用 {name} {taken} 的备份替换这台电脑上的数据吗？备份之后录入的内容将不再出现在程序中（当前数据库会保留在 backups 文件夹里）。</translation>
    </message>
    <message>
        <source>The backup of {name} is restored. The database that was replaced is kept at {kept}.</source>
        <translation>{name}的备份已恢复。被替换的数据库保留在 {kept}。</translation>
    </message>
    <message>
        <source>This PC has no signing key of the station. Before the next export, make a new key on the Data sync screen and read its fingerprint to the banner centre on the phone, so that they register it again.</source>
        <translation>这台电脑上没有本站的签名密钥。下次导出数据前，请到“数据同步”页生成新密钥，并打电话把密钥指纹念给旗县社会工作服务中心，请中心重新登记。</translation>
    </message>
</context>
<context>
    <name>RosterImportDialog</name>
    <message>
        <source>Rosters (*.xlsx *.xlsm *.xls *.csv);;All files (*)</source>
        <translation>花名册 (*.xlsx *.xlsm *.xls *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import a roster from Excel</source>
        <translation>从Excel导入花名册</translation>
    </message>
    <message>
        <source>No file chosen yet</source>
        <translation>尚未选择文件</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>People served</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <source>Read the file again, e.g. after correcting it.</source>
        <translation>重新读取文件，例如改正之后。</translation>
    </message>
    <message>
        <source>Choose the roster file. It is checked first; nothing is saved until you press Import.</source>
        <translation>请选择花名册文件。先检查文件，按“导入”之前不会保存任何内容。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>The roster lists</source>
        <translation>名册内容</translation>
    </message>
    <message>
        <source>Choose the roster file</source>
        <translation>选择花名册文件</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>Checking the roster…</source>
        <translation>正在检查花名册…</translation>
    </message>
    <message>
        <source>Importing the roster…</source>
        <translation>正在导入花名册…</translation>
    </message>
    <message>
        <source>Leave out the {count} rows with problems and import the other {good} rows</source>
        <translation>跳过有问题的 {count} 行，导入其余 {good} 行</translation>
    </message>
    <message>
        <source>The file has {total} rows: {good} can be imported, {bad} have problems.</source>
        <translation>文件共 {total} 行：{good} 行可以导入，{bad} 行有问题。</translation>
    </message>
    <message>
        <source>New: {added}. Already registered: {known} (not added again; {updated} of them get changed details).</source>
        <translation>新增：{added} 人。已登记：{known} 人（不重复添加；其中 {updated} 人的信息将更新）。</translation>
    </message>
    <message>
        <source>Columns not used (ignored): {columns}</source>
        <translation>未使用的列（忽略）：{columns}</translation>
    </message>
    <message>
        <source>To check (does not block): {text}</source>
        <translation>请核对（不影响导入）：{text}</translation>
    </message>
    <message>
        <source>Everyone in this file is already registered with the same details: there is nothing to import.</source>
        <translation>文件中的人员都已登记且信息相同，没有需要导入的内容。</translation>
    </message>
    <message>
        <source>Nothing is saved while rows have problems. Correct them in the file and press Check again, or tick the box to leave them out.</source>
        <translation>有问题的行未处理之前不会保存任何内容。请在文件中改正后按“重新检查”，或勾选上方选项跳过这些行。</translation>
    </message>
    <message>
        <source>Import will save {good} rows; the {count} rows with problems are left out.</source>
        <translation>导入将保存 {good} 行，跳过有问题的 {count} 行。</translation>
    </message>
    <message>
        <source>All rows are good. Import will save them.</source>
        <translation>所有行都没有问题，按“导入”即可保存。</translation>
    </message>
    <message>
        <source>Imported. New: {added}. Already registered: {known} ({updated} of them updated). Left out: {skipped} rows.</source>
        <translation>导入完成。新增 {added} 人；已登记 {known} 人（其中 {updated} 人信息已更新）；跳过 {skipped} 行。</translation>
    </message>
    <message>
        <source>The import is saved. Close this window to see the list.</source>
        <translation>导入已保存。关闭此窗口即可在列表中查看。</translation>
    </message>
    <message>
        <source>The file could not be used.</source>
        <translation>无法使用该文件。</translation>
    </message>
</context>
<context>
    <name>ServiceRecordDialog</name>
    <message>
        <source>Service record no. {seq}</source>
        <translation>第 {seq} 次服务记录</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>from the times</source>
        <translation>按时间计算</translation>
    </message>
    <message>
        <source>or duration</source>
        <translation>或时长</translation>
    </message>
    <message>
        <source>No particular objective</source>
        <translation>不对应具体目标</translation>
    </message>
    <message>
        <source>(an objective of an earlier plan)</source>
        <translation>（旧版计划中的目标）</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>How the client responded</source>
        <translation>服务对象的反应</translation>
    </message>
    <message>
        <source>What comes next</source>
        <translation>下一步计划</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>From</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Value (yuan)</source>
        <translation>价值（元）</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Plan objective</source>
        <translation>对应目标</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>负责社工</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Others present</source>
        <translation>其他参与人</translation>
    </message>
    <message>
        <source>Client&apos;s response</source>
        <translation>服务对象反应</translation>
    </message>
    <message>
        <source>Next steps</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Linked resources</source>
        <translation>链接资源</translation>
    </message>
    <message>
        <source>What happened during the contact (Ctrl+Enter saves)</source>
        <translation>本次服务的过程与内容（按 Ctrl+Enter 保存）</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Only the station head can change the settings. You can look at them here.</source>
        <translation>只有站长可以修改设置，您可以在此查看。</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站点信息</translation>
    </message>
    <message>
        <source>Villages and communities</source>
        <translation>服务村（社区）</translation>
    </message>
    <message>
        <source>Lists</source>
        <translation>分类列表</translation>
    </message>
    <message>
        <source>Volunteer hours and stars</source>
        <translation>志愿时长与星级</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>e.g. 0471-3312345</source>
        <translation>如：0471-3312345</translation>
    </message>
    <message>
        <source>Printed on volunteer certificates, above the seal</source>
        <translation>印在志愿服务证明上，位于盖章处</translation>
    </message>
    <message>
        <source>Save station details</source>
        <translation>保存站点信息</translation>
    </message>
    <message>
        <source>Township code</source>
        <translation>乡镇区划代码</translation>
    </message>
    <message>
        <source>Banner</source>
        <translation>所属旗县</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>站点名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Work phone</source>
        <translation>办公电话</translation>
    </message>
    <message>
        <source>Issuing body on certificates</source>
        <translation>证明出具单位</translation>
    </message>
    <message>
        <source>The township code and banner were set when the station was set up and do not change: the centre knows the station by them.</source>
        <translation>乡镇区划代码和所属旗县在建站时设定，不能修改：旗县中心据此识别本站。</translation>
    </message>
    <message>
        <source>e.g. 什报气村</source>
        <translation>如：什报气村</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>村</translation>
    </message>
    <message>
        <source>Gacha</source>
        <translation>嘎查</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>社区</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Division code (optional)</source>
        <translation>区划代码（可不填）</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>改名…</translation>
    </message>
    <message>
        <source>Stop using</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Entries already used in records are never deleted: an entry no longer used is stopped, and old records keep it. Renaming changes the name everywhere.</source>
        <translation>已在记录中使用的条目不会删除：不再使用的条目可停用，旧记录保留原条目。改名后各处显示新名称。</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Star levels: confirmed hours needed for each star</source>
        <translation>星级：各星级所需的已确认时长</translation>
    </message>
    <message>
        <source> hours</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>{count} stars</source>
        <translation>{count} 星</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Most volunteer hours counted per day</source>
        <translation>每天最多计入的志愿时长</translation>
    </message>
    <message>
        <source>Cases on the to-do list after no contact for</source>
        <translation>个案未联系多久后列入待办</translation>
    </message>
    <message>
        <source>Lock the screen after no use for</source>
        <translation>无操作多久后锁屏</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add staff…</source>
        <translation>添加工作人员…</translation>
    </message>
    <message>
        <source>Has left…</source>
        <translation>登记离职…</translation>
    </message>
    <message>
        <source>Hand over cases…</source>
        <translation>移交个案…</translation>
    </message>
    <message>
        <source>When a social worker leaves, first hand their open cases over to a colleague; their records stay with the station.</source>
        <translation>社工离职前，请先把其未结个案移交给同事；其工作记录保留在本站。</translation>
    </message>
    <message>
        <source>The villages and communities {station} serves; forms offer them when an address is typed.</source>
        <translation>{station}服务的村（社区），登记地址时可从中选择。</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>在岗</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>已离职</translation>
    </message>
    <message>
        <source>{label} (not used any more)</source>
        <translation>{label}（已停用）</translation>
    </message>
    <message>
        <source>Use again</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>The station details are saved.</source>
        <translation>站点信息已保存。</translation>
    </message>
    <message>
        <source>Remove a village or community</source>
        <translation>移除村（社区）</translation>
    </message>
    <message>
        <source>Remove {name} from the list? People already registered there keep it.</source>
        <translation>要把 {name} 从列表中移除吗？已登记在该处的人员保留原信息。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Add an entry</source>
        <translation>添加条目</translation>
    </message>
    <message>
        <source>Name of the new entry</source>
        <translation>新条目名称</translation>
    </message>
    <message>
        <source>Rename an entry</source>
        <translation>条目改名</translation>
    </message>
    <message>
        <source>New name</source>
        <translation>新名称</translation>
    </message>
    <message>
        <source>Each star needs more hours than the one before.</source>
        <translation>每一星级所需时长必须高于上一级。</translation>
    </message>
    <message>
        <source>The settings are saved.</source>
        <translation>设置已保存。</translation>
    </message>
    <message>
        <source>A member of staff leaves</source>
        <translation>工作人员离职</translation>
    </message>
    <message>
        <source>Record that {name} left today? Hand their open cases over first.</source>
        <translation>登记 {name} 今天离职吗？请先移交其未结个案。</translation>
    </message>
    <message>
        <source>Record it</source>
        <translation>登记</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Hand over cases</source>
        <translation>移交个案</translation>
    </message>
    <message>
        <source>There is no other working member of staff.</source>
        <translation>没有其他在岗工作人员。</translation>
    </message>
    <message>
        <source>Hand every open case of {name} to:</source>
        <translation>把 {name} 的全部未结个案移交给：</translation>
    </message>
    <message>
        <source>{count} cases of {source} are now with {target}.</source>
        <translation>{source} 的 {count} 个个案已移交给 {target}。</translation>
    </message>
    <message>
        <source>Categories of people served</source>
        <extracomment>The idle-lock setting, shown when the database has it. Roles the settings screen can give to staff.</extracomment>
        <translation>服务对象类别</translation>
    </message>
    <message>
        <source>Service areas</source>
        <translation>服务领域</translation>
    </message>
    <message>
        <source>Activity types</source>
        <translation>活动类型</translation>
    </message>
    <message>
        <source>Ways a case ends</source>
        <translation>结案类型</translation>
    </message>
    <message>
        <source>Intervention models</source>
        <translation>介入模式</translation>
    </message>
    <message>
        <source>Volunteer skills</source>
        <translation>志愿者专业技能</translation>
    </message>
    <message>
        <source>Ethnicities</source>
        <translation>民族</translation>
    </message>
    <message>
        <source>Volunteer system export</source>
        <translation>志愿服务系统导出</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>Set up the station</source>
        <translation>设置社工站</translation>
    </message>
    <message>
        <source>Creating the station&apos;s database and keys…</source>
        <translation>正在创建社工站数据库和密钥…</translation>
    </message>
    <message>
        <source>Set-up wizard (restore)</source>
        <translation>设置向导（从备份恢复）</translation>
    </message>
    <message>
        <source>Restoring the backup… Do not switch the PC off.</source>
        <translation>正在恢复备份…请不要关闭电脑。</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>Add a member of staff</source>
        <translation>添加工作人员</translation>
    </message>
    <message>
        <source>e.g. the social work organisation that employs them</source>
        <translation>如：聘用其的社会工作服务机构</translation>
    </message>
    <message>
        <source>e.g. assistant social worker</source>
        <translation>如：助理社会工作师</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>所在单位</translation>
    </message>
    <message>
        <source>Social work certificate</source>
        <translation>社工职业资格</translation>
    </message>
</context>
<context>
    <name>StageBar</name>
    <message>
        <source>Now: {stage}</source>
        <translation>当前：{stage}</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Preparing the demo database…</source>
        <extracomment>QSettings key: the database files last opened as a centre (they open without the station&apos;s window first). Database errors at start for which an automatic copy is offered.</extracomment>
        <translation>正在准备演示数据库…</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Station head</source>
        <translation>站长</translation>
    </message>
    <message>
        <source>Wushe Desktop</source>
        <translation>五社联动社工站系统</translation>
    </message>
    <message>
        <source>Restoring the backup… Do not switch the PC off.</source>
        <translation>正在恢复备份…请不要关闭电脑。</translation>
    </message>
    <message>
        <source>{problem}

There is an automatic backup of {day}. Open it instead? The damaged file is kept aside in the backups folder; what was recorded after the backup must be entered again.</source>
        <translation>{problem}

有一份 {day} 的自动备份。要改为打开它吗？损坏的文件会保留在 backups 文件夹里；备份之后录入的内容需要重新录入。</translation>
    </message>
    <message>
        <source>Open the backup</source>
        <translation>打开备份</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>The automatic backup of {day} is open. Check the records of the last days and enter again what is missing.</source>
        <translation>已打开 {day} 的自动备份。请核对最近几天的记录，补录缺少的内容。</translation>
    </message>
    <message>
        <source>Opening the automatic backup…</source>
        <translation>正在打开自动备份…</translation>
    </message>
</context>
<context>
    <name>StationPage</name>
    <message>
        <source>Your station</source>
        <translation>社工站</translation>
    </message>
    <message>
        <source>Type part of your township&apos;s name, choose it from the list, and check the station&apos;s name.</source>
        <translation>输入所在苏木乡镇名称中的几个字，从列表中选择，然后核对社工站名称。</translation>
    </message>
    <message>
        <source>Township name, e.g. the first two characters</source>
        <translation>苏木乡镇名称，如前两个字</translation>
    </message>
    <message>
        <source>Banner</source>
        <translation>旗县</translation>
    </message>
    <message>
        <source>Station code</source>
        <translation>站点代码</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>社工站名称</translation>
    </message>
    <message>
        <source>Township</source>
        <translation>苏木乡镇</translation>
    </message>
    <message>
        <source>{name} ({where})</source>
        <translation>{name}（{where}）</translation>
    </message>
    <message>
        <source>{township} social work station</source>
        <translation>{township}社工站</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>A new PC for a station that already worked with this program? Restore its backup instead of setting up a new station.</source>
        <translation>是本站换了新电脑吗？请从备份恢复，而不要新建站点。</translation>
    </message>
</context>
<context>
    <name>StationsPage</name>
    <message>
        <source>This centre&apos;s card</source>
        <translation>本中心名片</translation>
    </message>
    <message>
        <source>Save the centre&apos;s card…</source>
        <translation>保存中心名片…</translation>
    </message>
    <message>
        <source>Register a station card…</source>
        <translation>登记站点名片…</translation>
    </message>
    <message>
        <source>Revoke the selected station…</source>
        <translation>作废所选站点的密钥…</translation>
    </message>
    <message>
        <source>Station code</source>
        <translation>站点代码</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>社工站</translation>
    </message>
    <message>
        <source>Banner</source>
        <translation>所属旗县</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>密钥指纹</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>已登记</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Bundles</source>
        <translation>数据包数</translation>
    </message>
    <message>
        <source>Station register</source>
        <translation>站点登记</translation>
    </message>
    <message>
        <source>{name} ({code})</source>
        <translation>{name}（{code}）</translation>
    </message>
    <message>
        <source>Signing key fingerprint (receipts): {fp}</source>
        <translation>签名密钥指纹（用于回执）：{fp}</translation>
    </message>
    <message>
        <source>Encryption key fingerprint (bundles): {fp}</source>
        <translation>加密密钥指纹（用于数据包）：{fp}</translation>
    </message>
    <message>
        <source>Give the stations this centre&apos;s card file and read the signing key fingerprint to them on the phone.</source>
        <translation>请把本中心名片文件交给各社工站，并在电话中向他们读出签名密钥指纹。</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Choose the station&apos;s card</source>
        <translation>选择社工站的名片</translation>
    </message>
    <message>
        <source>Station cards (*.card *.json);;All files (*)</source>
        <translation>站点名片 (*.card *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Registered {name} ({code}) with key fingerprint {fp}.</source>
        <translation>已登记{name}（{code}），密钥指纹 {fp}。</translation>
    </message>
    <message>
        <source>{name} ({code}) was already registered with this key; nothing changed.</source>
        <translation>{name}（{code}）已用该密钥登记过，未做更改。</translation>
    </message>
    <message>
        <source>Registered the new key of {name} ({code}): {fp}. It replaces {previous}.</source>
        <translation>已登记{name}（{code}）的新密钥 {fp}，替换原密钥 {previous}。</translation>
    </message>
    <message>
        <source>Registered the key change of {name} ({code}): {fp} replaces {previous}.</source>
        <translation>已登记{name}（{code}）的密钥更换：{fp} 替换 {previous}。</translation>
    </message>
    <message>
        <source>Note: this station is not in this centre&apos;s banner.</source>
        <translation>提示：该社工站不属于本中心所在旗县。</translation>
    </message>
    <message>
        <source>Revoke the key of {name} ({code})? Its bundles will be refused until it registers a new card. Do this only if its PC was lost or its key may be known to others.</source>
        <translation>确定作废{name}（{code}）的密钥吗？在重新登记新名片之前，该站的数据包都将被拒绝。只有在该站电脑丢失或密钥可能泄露时才这样做。</translation>
    </message>
    <message>
        <source>Revoke a station</source>
        <translation>作废站点密钥</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>作废</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Revoked the key of {name} ({code}). Register its new card when it has one.</source>
        <translation>已作废{name}（{code}）的密钥。该站生成新名片后请重新登记。</translation>
    </message>
    <message>
        <source>Choose where to save the centre&apos;s card</source>
        <translation>选择中心名片的保存位置</translation>
    </message>
    <message>
        <source>Saved the centre&apos;s card to {path}. Give it to the stations and read them its fingerprint: {fp}.</source>
        <translation>中心名片已保存到 {path}。请交给各社工站，并向他们读出指纹：{fp}。</translation>
    </message>
    <message>
        <source>Registered on</source>
        <translation>登记时间</translation>
    </message>
</context>
<context>
    <name>StatisticsPage</name>
    <message>
        <source>Statistics and reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>本年</translation>
    </message>
    <message>
        <source>From – to</source>
        <translation>自定义起止日期</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>统计期间：</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Counts in the period</source>
        <translation>本期各项数量</translation>
    </message>
    <message>
        <source>Export to Excel…</source>
        <translation>导出到 Excel…</translation>
    </message>
    <message>
        <source>Print monthly report…</source>
        <translation>打印月报…</translation>
    </message>
    <message>
        <source>Monthly report for:</source>
        <translation>月报月份：</translation>
    </message>
    <message>
        <source>The start date is after the end date.</source>
        <translation>开始日期晚于结束日期，请改正。</translation>
    </message>
    <message>
        <source>Figures from {start} to {end} (both days included)</source>
        <translation>统计期间：{start} 至 {end}（含首尾两天）</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>statistics-{start}-{end}.xlsx</source>
        <translation>统计报表-{start}-{end}.xlsx</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出到 Excel</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>统计期间</translation>
    </message>
    <message>
        <source>{start} to {end}</source>
        <translation>{start} 至 {end}</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>社工站</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>Figures exported to {path}.</source>
        <translation>统计数据已导出到 {path}。</translation>
    </message>
    <message>
        <source>Exporting to Excel…</source>
        <translation>正在导出到 Excel…</translation>
    </message>
    <message>
        <source>Monthly report</source>
        <translation>社工站月度工作报告</translation>
    </message>
    <message>
        <source>monthly-report-{month}.pdf</source>
        <translation>月度工作报告-{month}.pdf</translation>
    </message>
    <message>
        <source>Batch printing…</source>
        <translation>批量打印…</translation>
    </message>
    <message>
        <source>All service records of a month, or the certificates of every volunteer with confirmed hours in a period, in one PDF</source>
        <translation>把某月全部个案服务记录，或某期间全部志愿者的服务记录证明，生成一个 PDF 一次打印</translation>
    </message>
</context>
<context>
    <name>StatusTab</name>
    <message>
        <source>Categories such as subsistence allowance are reviewed: when one ends, choose it and give the date it ended. The history stays on file.</source>
        <translation>低保等类别会定期复核：某个类别结束时，选中它并填写结束日期。历史记录会保留。</translation>
    </message>
    <message>
        <source>End category…</source>
        <translation>结束类别…</translation>
    </message>
    <message>
        <source>{category}: since {start}</source>
        <translation>{category}：自 {start} 起</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不详</translation>
    </message>
    <message>
        <source>{category}: {start} to {end} (ended)</source>
        <translation>{category}：{start} 至 {end}（已结束）</translation>
    </message>
</context>
<context>
    <name>SupervisionPage</name>
    <message>
        <source>High risk only</source>
        <translation>只看高风险</translation>
    </message>
    <message>
        <source>No contact for over</source>
        <translation>超过</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天未服务</translation>
    </message>
    <message>
        <source>Print the supervision list…</source>
        <translation>打印督导清单…</translation>
    </message>
    <message>
        <source>Station:</source>
        <translation>社工站：</translation>
    </message>
    <message>
        <source>Read-only copies of the station&apos;s cases as its last bundle brought them. The printed list holds the high-risk cases with no contact for the days chosen.</source>
        <translation>以下是该站最近一次数据包带来的个案副本，只能查看。打印的督导清单列出超过所选天数未服务的高风险个案。</translation>
    </message>
    <message>
        <source>Case No.</source>
        <translation>个案编号</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>服务对象</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Risk</source>
        <translation>风险等级</translation>
    </message>
    <message>
        <source>Intake date</source>
        <translation>接案日期</translation>
    </message>
    <message>
        <source>Social worker</source>
        <translation>负责社工</translation>
    </message>
    <message>
        <source>Service records</source>
        <translation>服务记录数</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最近服务</translation>
    </message>
    <message>
        <source>Supervision</source>
        <translation>督导查阅</translation>
    </message>
    <message>
        <source>No station has sent a bundle yet.</source>
        <translation>还没有社工站报送数据包。</translation>
    </message>
    <message>
        <source>{shown} of {total} cases shown.</source>
        <translation>共 {total} 个个案，显示 {shown} 个。</translation>
    </message>
    <message>
        <source>Supervision list</source>
        <translation>督导清单</translation>
    </message>
    <message>
        <source>Supervision list {code}.pdf</source>
        <translation>督导清单 {code}.pdf</translation>
    </message>
    <message>
        <source>Cases by station</source>
        <translation>各站个案</translation>
    </message>
    <message>
        <source>Across stations</source>
        <translation>跨站服务对象</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Data sync</source>
        <translation>数据同步</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Where the exchange with the centre stands</source>
        <translation>与中心的同步情况</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>上级中心</translation>
    </message>
    <message>
        <source>Last export</source>
        <translation>上次导出</translation>
    </message>
    <message>
        <source>Last receipt</source>
        <translation>最近回执</translation>
    </message>
    <message>
        <source>Records the centre has not acknowledged</source>
        <translation>中心尚未确认的记录</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>Export a data bundle for the centre</source>
        <translation>导出数据包（交给中心）</translation>
    </message>
    <message>
        <source>Changes the centre has not acknowledged (usual)</source>
        <translation>增量导出：中心尚未确认的改动（通常选这个）</translation>
    </message>
    <message>
        <source>Full export (every record; when the centre asks for one)</source>
        <translation>完整导出：全部记录（中心要求时才用）</translation>
    </message>
    <message>
        <source>Supervision: every record (default)</source>
        <translation>督导用：完整记录（默认）</translation>
    </message>
    <message>
        <source>De-identified: names replaced, ID numbers masked</source>
        <translation>去标识化：姓名用化名，证件号码隐去</translation>
    </message>
    <message>
        <source>Export data bundle…</source>
        <translation>导出数据包…</translation>
    </message>
    <message>
        <source>Content:</source>
        <translation>内容：</translation>
    </message>
    <message>
        <source>Receipts and keys</source>
        <translation>回执与密钥</translation>
    </message>
    <message>
        <source>Import receipt…</source>
        <translation>导入回执…</translation>
    </message>
    <message>
        <source>Import centre card…</source>
        <translation>导入中心名片…</translation>
    </message>
    <message>
        <source>Export station card…</source>
        <translation>导出站点登记卡…</translation>
    </message>
    <message>
        <source>Change the station key…</source>
        <translation>更换站点密钥…</translation>
    </message>
    <message>
        <source>Import the centre&apos;s receipt after each visit to the centre. A new card or a key change must be checked with the centre by phone.</source>
        <translation>每次去中心报送后，请把中心给的回执导入本机。导入新名片或更换密钥，都要先与中心电话核对指纹。</translation>
    </message>
    <message>
        <source>Only the station head can export bundles and import receipts.</source>
        <translation>只有站长可以导出数据包和导入回执。</translation>
    </message>
    <message>
        <source>Only the station head can import the centre&apos;s card or change the station key.</source>
        <translation>只有站长可以导入中心名片或更换站点密钥。</translation>
    </message>
    <message>
        <source>Export log</source>
        <translation>导出记录</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Exported at</source>
        <translation>导出时间</translation>
    </message>
    <message>
        <source>By</source>
        <translation>导出人</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录数</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>File hash (SHA-256)</source>
        <translation>文件校验码</translation>
    </message>
    <message>
        <source>{name} (key fingerprint {fingerprint})</source>
        <translation>{name}（密钥指纹 {fingerprint}）</translation>
    </message>
    <message>
        <source>No centre card imported yet.</source>
        <translation>尚未导入中心名片。</translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation>暂无。</translation>
    </message>
    <message>
        <source>Bundle no. {sequence}, {when}, {rows} records, file {file}</source>
        <translation>第 {sequence} 号数据包，{when}，{rows} 条记录，文件 {file}</translation>
    </message>
    <message>
        <source>The centre imported bundle no. {sequence} on {when}.</source>
        <translation>中心已于 {when} 导入第 {sequence} 号数据包。</translation>
    </message>
    <message>
        <source>Import the centre&apos;s card first (Import centre card…): bundles are encrypted to the centre&apos;s key.</source>
        <translation>请先点“导入中心名片…”，导入旗县中心交来的名片：数据包要用中心的密钥加密。</translation>
    </message>
    <message>
        <source>The centre has acknowledged every record; there is nothing to send.</source>
        <translation>中心已确认本站全部记录，目前无需报送。</translation>
    </message>
    <message>
        <source>Nothing has been exported yet: put in the USB stick and click Export data bundle.</source>
        <translation>还没有导出过数据包：请插入U盘，点“导出数据包…”。</translation>
    </message>
    <message>
        <source>Bundle no. {sequence} was exported on {when} and the centre has not acknowledged it yet: take it to the centre and import the receipt the centre gives back.</source>
        <translation>第 {sequence} 号数据包已于 {when} 导出，中心尚未确认：请把它交给中心，并把中心给的回执带回来导入。</translation>
    </message>
    <message>
        <source>{count} records changed since the centre&apos;s last receipt: export a data bundle and take it to the centre.</source>
        <translation>自中心上次回执以来有 {count} 条记录有改动：请导出数据包并交给中心。</translation>
    </message>
    <message>
        <source>supervision</source>
        <translation>督导用</translation>
    </message>
    <message>
        <source>de-identified</source>
        <translation>去标识化</translation>
    </message>
    <message>
        <source>full</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>changes</source>
        <translation>增量</translation>
    </message>
    <message>
        <source>Export data bundle</source>
        <translation>导出数据包</translation>
    </message>
    <message>
        <source>Data bundles (*.wsb)</source>
        <translation>数据包 (*.wsb)</translation>
    </message>
    <message>
        <source>Exporting the data bundle… (Cancel leaves no file behind)</source>
        <translation>正在导出数据包…（点“取消”不会留下任何文件）</translation>
    </message>
    <message>
        <source>Bundle no. {sequence} exported ({rows} records): {path}</source>
        <translation>第 {sequence} 号数据包已导出（{rows} 条记录）：{path}</translation>
    </message>
    <message>
        <source>The export was cancelled; no file was written.</source>
        <translation>已取消导出，没有写入任何文件。</translation>
    </message>
    <message>
        <source>Import receipt</source>
        <translation>导入回执</translation>
    </message>
    <message>
        <source>Receipts (*.receipt);;All files (*)</source>
        <translation>回执 (*.receipt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This receipt was imported before; nothing changed.</source>
        <translation>这份回执以前已经导入过，没有变化。</translation>
    </message>
    <message>
        <source>Receipt imported: the centre holds bundle no. {sequence}. Records not yet acknowledged: {count}.</source>
        <translation>回执已导入：中心已收到第 {sequence} 号数据包。尚未确认的记录：{count} 条。</translation>
    </message>
    <message>
        <source>The receipt was imported, but this PC&apos;s change log differs from what the centre received earlier: the log may have been altered. Tell the station head and the centre.</source>
        <translation>回执已导入，但本机的操作日志与中心此前收到的不一致，日志可能被改动过。请告知站长和中心。</translation>
    </message>
    <message>
        <source>Import centre card</source>
        <translation>导入中心名片</translation>
    </message>
    <message>
        <source>Cards (*.card);;All files (*)</source>
        <translation>名片 (*.card);;所有文件 (*)</translation>
    </message>
    <message>
        <source>This centre card is already imported; nothing changed.</source>
        <translation>这张中心名片已经导入过，没有变化。</translation>
    </message>
    <message>
        <source>Centre: {name} ({code})
Key fingerprint: {fingerprint}
Encryption key fingerprint: {box}

Phone the centre and have them read the fingerprints aloud, group by group. Trust the card only if every group matches.</source>
        <translation>中心：{name}（{code}）
签名密钥指纹：{fingerprint}
加密密钥指纹：{box}

请给中心打电话，请对方逐组朗读指纹，与上面逐组核对。全部一致才可信任并导入。</translation>
    </message>
    <message>
        <source>It replaces the centre card imported before (fingerprint {old}); bundles will be encrypted to the new centre.</source>
        <translation>它将替换此前导入的中心名片（指纹 {old}），以后的数据包将加密给新的中心。</translation>
    </message>
    <message>
        <source>The fingerprints match: trust it</source>
        <translation>指纹一致，信任并导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Centre card imported: {name}, fingerprint {fingerprint}.</source>
        <translation>已导入中心名片：{name}，指纹 {fingerprint}。</translation>
    </message>
    <message>
        <source>Export station card</source>
        <translation>导出站点登记卡</translation>
    </message>
    <message>
        <source>Station card written: {path} (fingerprint {fingerprint}); printable card: {pdf}</source>
        <translation>站点名片已写入：{path}（指纹 {fingerprint}）；可打印的登记卡：{pdf}</translation>
    </message>
    <message>
        <source>Key registration card</source>
        <translation>密钥登记卡</translation>
    </message>
    <message>
        <source>Change the station key</source>
        <translation>更换站点密钥</translation>
    </message>
    <message>
        <source>A new key pair replaces the station&apos;s key. The centre must register the new key before it accepts this station&apos;s bundles: take the key change file and the new card to the centre. Change the key only when the centre asks for it or the old key may have leaked. Change it now?</source>
        <translation>将生成新的密钥替换本站密钥。中心登记新密钥之前，不会接收本站的数据包：请把密钥更换文件和新名片交给中心。只有中心要求，或旧密钥可能泄露时才需要更换。现在更换吗？</translation>
    </message>
    <message>
        <source>Change the key</source>
        <translation>更换密钥</translation>
    </message>
    <message>
        <source>Folder for the key change file and the new card</source>
        <translation>选择存放密钥更换文件和新名片的文件夹</translation>
    </message>
    <message>
        <source>New station key: fingerprint {fingerprint}. New card: {path}</source>
        <translation>已更换站点密钥，新指纹 {fingerprint}。新名片：{path}</translation>
    </message>
</context>
<context>
    <name>SystemMenu</name>
    <message>
        <source>S&amp;ystem</source>
        <extracomment>How often the window checks whether the day changed (for the daily automatic copy).</extracomment>
        <translation>系统(&amp;Y)</translation>
    </message>
    <message>
        <source>Change password…</source>
        <translation>修改密码…</translation>
    </message>
    <message>
        <source>Accounts…</source>
        <translation>账号管理…</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>审计日志…</translation>
    </message>
    <message>
        <source>Back up to…</source>
        <translation>备份到…</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>从备份恢复…</translation>
    </message>
    <message>
        <source>Print the recovery sheet…</source>
        <translation>打印数据恢复单…</translation>
    </message>
    <message>
        <source>Lock the window</source>
        <translation>锁定窗口</translation>
    </message>
    <message>
        <source>Your password is changed.</source>
        <translation>密码已修改。</translation>
    </message>
    <message>
        <source>Change the recovery passphrase…</source>
        <translation>更改恢复口令…</translation>
    </message>
    <message>
        <source>The recovery passphrase is changed. Make a new backup now.</source>
        <translation>恢复口令已更改，请马上重新备份一次。</translation>
    </message>
</context>
<context>
    <name>TeamDialog</name>
    <message>
        <source>New volunteer team</source>
        <translation>新建志愿服务队伍</translation>
    </message>
    <message>
        <source>Team name</source>
        <translation>队伍名称</translation>
    </message>
    <message>
        <source>Leader</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Leader&apos;s phone</source>
        <translation>负责人电话</translation>
    </message>
</context>
<context>
    <name>TeamsView</name>
    <message>
        <source>Team</source>
        <translation>队伍名称</translation>
    </message>
    <message>
        <source>Leader</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Leader&apos;s phone</source>
        <translation>负责人电话</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>队员</translation>
    </message>
    <message>
        <source>New team…</source>
        <translation>新建队伍…</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Volunteer number</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Add a member…</source>
        <translation>添加队员…</translation>
    </message>
    <message>
        <source>Remove from the team</source>
        <translation>移出队伍</translation>
    </message>
    <message>
        <source>Team created: {name}.</source>
        <translation>已新建队伍：{name}。</translation>
    </message>
    <message>
        <source>{name} joined {team}.</source>
        <translation>{name}已加入{team}。</translation>
    </message>
    <message>
        <source>{name} is already in {team}.</source>
        <translation>{name}已经是{team}的队员。</translation>
    </message>
    <message>
        <source>Remove {name} from {team}? Their hours and certificates stay as they are.</source>
        <translation>将{name}移出{team}？其服务时长和证明不受影响。</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移出</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>{name} left {team}.</source>
        <translation>{name}已移出{team}。</translation>
    </message>
    <message>
        <source>Members of {team}</source>
        <translation>{team}的队员</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>This year: {value}</source>
        <extracomment>Whether the screen shows out-of-date figures (reload when next shown).</extracomment>
        <translation>本年：{value}</translation>
    </message>
</context>
<context>
    <name>TrustDialog</name>
    <message>
        <source>Register a key change</source>
        <translation>登记密钥更换</translation>
    </message>
    <message>
        <source>Register a station</source>
        <translation>登记社工站</translation>
    </message>
    <message>
        <source>Station code:</source>
        <translation>站点代码：</translation>
    </message>
    <message>
        <source>Key replaced:</source>
        <translation>被替换的密钥：</translation>
    </message>
    <message>
        <source>Station:</source>
        <translation>社工站：</translation>
    </message>
    <message>
        <source>Banner:</source>
        <translation>所属旗县：</translation>
    </message>
    <message>
        <source>Key fingerprint:</source>
        <translation>密钥指纹：</translation>
    </message>
    <message>
        <source>Compare this fingerprint, group by group, with the one printed on the station&apos;s card (or read out by the station head on the phone). Register only if every group is the same; if any differs, do not register and call the station.</source>
        <translation>请把上面的指纹与社工站打印的名片上的指纹（或站长电话中读出的指纹）逐组核对。每一组都相同才能登记；只要有一组不同，请勿登记，并与社工站联系。</translation>
    </message>
    <message>
        <source>The fingerprint matches: register</source>
        <translation>指纹一致，登记</translation>
    </message>
    <message>
        <source>It differs: do not register</source>
        <translation>指纹不一致，不登记</translation>
    </message>
</context>
<context>
    <name>VolunteerDetail</name>
    <message>
        <source>Sex, age</source>
        <translation>性别、年龄</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>专业技能</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>所属队伍</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可服务时间</translation>
    </message>
    <message>
        <source>Insurance</source>
        <translation>保险</translation>
    </message>
    <message>
        <source>:</source>
        <translation>：</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Enter hours…</source>
        <translation>录入时长…</translation>
    </message>
    <message>
        <source>Certificate…</source>
        <translation>开具证明…</translation>
    </message>
    <message>
        <source>Print registration form</source>
        <translation>打印登记表</translation>
    </message>
    <message>
        <source>Only the period from</source>
        <translation>仅统计期间：自</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Hours</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Confirmed by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <source>Confirm selected</source>
        <translation>确认所选</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
    <message>
        <source>Saved: {name}.</source>
        <translation>已保存：{name}。</translation>
    </message>
    <message>
        <source>{hours} hours entered for {name}; they await confirmation.</source>
        <translation>已为{name}录入 {hours} 小时，等待站长确认。</translation>
    </message>
    <message>
        <source>Volunteer registration form</source>
        <translation>志愿者登记表</translation>
    </message>
    <message>
        <source>Select lines awaiting confirmation first.</source>
        <translation>请先选择待确认的记录。</translation>
    </message>
    <message>
        <source>Select one line to correct.</source>
        <translation>请选择一条要更正的记录。</translation>
    </message>
    <message>
        <source>This line was voided and cannot be corrected.</source>
        <translation>该记录已作废，不能更正。</translation>
    </message>
    <message>
        <source>Corrected to {hours} hours; the old value is kept in the history.</source>
        <translation>已更正为 {hours} 小时，原数值保留在更正记录中。</translation>
    </message>
    <message>
        <source>{name}  ({number})</source>
        <translation>{name}（{number}）</translation>
    </message>
    <message>
        <source>{stars}  {level}-star volunteer: {total} confirmed hours in all; the next star at {next} hours.</source>
        <translation>{stars}  {level} 星志愿者：累计确认 {total} 小时，满 {next} 小时升一星。</translation>
    </message>
    <message>
        <source>{stars}  {level}-star volunteer: {total} confirmed hours in all.</source>
        <translation>{stars}  {level} 星志愿者：累计确认 {total} 小时。</translation>
    </message>
    <message>
        <source>{age} years</source>
        <translation>{age} 岁</translation>
    </message>
    <message>
        <source>{policy} (until {date})</source>
        <translation>{policy}（有效期至 {date}）</translation>
    </message>
    <message>
        <source>All lines: {confirmed} confirmed hours ({count} lines); {pending} hours await confirmation.</source>
        <translation>全部记录：已确认 {confirmed} 小时（{count} 条），待确认 {pending} 小时。</translation>
    </message>
    <message>
        <source>In this period: {confirmed} confirmed hours ({count} lines); {pending} hours await confirmation.</source>
        <translation>本期间：已确认 {confirmed} 小时（{count} 条），待确认 {pending} 小时。</translation>
    </message>
    <message>
        <source>{status} (history: {count})</source>
        <translation>{status}（更正记录 {count} 条）</translation>
    </message>
    <message>
        <source>Choose a volunteer in the list to see their record, or click New… to register one.</source>
        <translation>在左侧名单中选择一名志愿者查看其记录，或点击“新建…”登记新志愿者。</translation>
    </message>
    <message>
        <source>volunteer-form-{name}</source>
        <translation>志愿者登记表-{name}</translation>
    </message>
</context>
<context>
    <name>VolunteerForm</name>
    <message>
        <source>Resident ID card</source>
        <translation>居民身份证</translation>
    </message>
    <message>
        <source>Residence permit (Hong Kong, Macao, Taiwan)</source>
        <translation>港澳台居民居住证</translation>
    </message>
    <message>
        <source>Foreigner&apos;s permanent residence ID card</source>
        <translation>外国人永久居留身份证</translation>
    </message>
    <message>
        <source>Passport</source>
        <translation>护照</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Register a volunteer</source>
        <translation>志愿者登记</translation>
    </message>
    <message>
        <source>Edit volunteer</source>
        <translation>修改志愿者信息</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>18 characters; birth date and sex are read from it</source>
        <translation>18 位；出生日期和性别自动读取</translation>
    </message>
    <message>
        <source>e.g. 2004-03-15 (not needed with an ID number)</source>
        <translation>如 2004-03-15（填写身份证号码后无需填写）</translation>
    </message>
    <message>
        <source>e.g. Communist Youth League member</source>
        <translation>如：共青团员</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>专业技能</translation>
    </message>
    <message>
        <source>Other skills, in words</source>
        <translation>其他技能，用文字填写</translation>
    </message>
    <message>
        <source>e.g. weekends, school holidays</source>
        <translation>如：周末、寒暑假</translation>
    </message>
    <message>
        <source>e.g. 2027-06-30</source>
        <translation>如 2027-06-30</translation>
    </message>
    <message>
        <source>The guardian consents (volunteers under 18)</source>
        <translation>监护人已同意（未满 18 周岁的志愿者）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <source>Political status</source>
        <translation>政治面貌</translation>
    </message>
    <message>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Other skills</source>
        <translation>其他技能</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可服务时间</translation>
    </message>
    <message>
        <source>National volunteer number</source>
        <translation>全国志愿服务系统编号</translation>
    </message>
    <message>
        <source>Insurance policy</source>
        <translation>保险单号</translation>
    </message>
    <message>
        <source>Insured until</source>
        <translation>保险有效期至</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>加入队伍</translation>
    </message>
    <message>
        <source>To leave this team, use the Teams tab.</source>
        <translation>如需退出该队伍，请在“队伍”页操作。</translation>
    </message>
    <message>
        <source>Recorded: {number}. Leave empty to keep it.</source>
        <translation>已登记：{number}。留空则保持不变。</translation>
    </message>
    <message>
        <source>Already registered as a volunteer with this ID number: {names}. Do not register them twice.</source>
        <translation>该证件号码已登记为志愿者：{names}。请勿重复登记。</translation>
    </message>
    <message>
        <source>volunteer registration form</source>
        <translation>志愿者登记表</translation>
    </message>
</context>
<context>
    <name>VolunteerPicker</name>
    <message>
        <source>Choose a volunteer</source>
        <translation>选择志愿者</translation>
    </message>
    <message>
        <source>Name, pinyin initials, volunteer number or last digits of the ID number</source>
        <translation>姓名、拼音首字母、志愿者编号或证件号码后几位</translation>
    </message>
</context>
<context>
    <name>VolunteerSystemExportDialog</name>
    <message>
        <source>Export to the volunteer-system spreadsheet</source>
        <translation>导出到志愿服务系统表格</translation>
    </message>
    <message>
        <source>Writes every registered volunteer, and the confirmed service hours, into an Excel file laid out as set on the settings tab, for the banner to upload to the national volunteer service system.</source>
        <translation>把所有登记的志愿者和已确认的服务时长，按设置中的表格样式写入一个 Excel 文件，供旗县上传到全国志愿服务信息系统。</translation>
    </message>
    <message>
        <source>The file holds the volunteers&apos; full ID numbers. Save it only where others cannot read it, give it only to the person who uploads it, and delete it after uploading.</source>
        <translation>注意：文件含志愿者的完整证件号码。只能保存在别人看不到的地方，只交给负责上传的人，上传后请删除。</translation>
    </message>
    <message>
        <source>Only hours served in a period</source>
        <translation>只导出某段时间的服务时长</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Where to save the Excel file</source>
        <translation>Excel 文件保存位置</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Service hours</source>
        <translation>服务时长</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>volunteer-system-{day}.xlsx</source>
        <translation>志愿服务系统导入-{day}.xlsx</translation>
    </message>
    <message>
        <source>Save the volunteer-system spreadsheet</source>
        <translation>保存志愿服务系统表格</translation>
    </message>
    <message>
        <source>Writing the volunteer-system spreadsheet…</source>
        <translation>正在写入志愿服务系统表格…</translation>
    </message>
    <message>
        <source>Written: {path}
{volunteers} volunteers and {lines} lines of confirmed hours ({hours} hours).

The file holds full ID numbers: keep it safe and delete it after uploading.</source>
        <translation>已导出：{path}
共 {volunteers} 名志愿者，已确认服务记录 {lines} 条（共 {hours} 小时）。

文件含完整证件号码，请妥善保管，上传后删除。</translation>
    </message>
</context>
<context>
    <name>VolunteerSystemTab</name>
    <message>
        <source>Station&apos;s volunteer number</source>
        <translation>站内志愿者编号</translation>
    </message>
    <message>
        <source>Number in the national volunteer system</source>
        <translation>全国系统志愿者编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex (男/女)</source>
        <translation>性别（男/女）</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>Kind of ID document</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <source>ID number (in full)</source>
        <translation>证件号码（完整）</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>居住地址</translation>
    </message>
    <message>
        <source>Political status</source>
        <translation>政治面貌</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>专业技能</translation>
    </message>
    <message>
        <source>Times available</source>
        <translation>可服务时间</translation>
    </message>
    <message>
        <source>Teams (separated by 、)</source>
        <translation>所属队伍（用“、”分隔）</translation>
    </message>
    <message>
        <source>Date registered at the station</source>
        <translation>在本站登记日期</translation>
    </message>
    <message>
        <source>Insurance policy number</source>
        <translation>保险单号</translation>
    </message>
    <message>
        <source>Insurance valid until</source>
        <translation>保险有效期至</translation>
    </message>
    <message>
        <source>Volunteer&apos;s name</source>
        <translation>志愿者姓名</translation>
    </message>
    <message>
        <source>Volunteer&apos;s ID number (in full)</source>
        <translation>志愿者证件号码（完整）</translation>
    </message>
    <message>
        <source>Date of service</source>
        <translation>服务日期</translation>
    </message>
    <message>
        <source>Signed in at</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <source>Signed out at</source>
        <translation>签退时间</translation>
    </message>
    <message>
        <source>Hours credited (1 decimal)</source>
        <translation>计入时长（小时，保留一位小数）</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>服务地点</translation>
    </message>
    <message>
        <source>What was done</source>
        <translation>服务内容</translation>
    </message>
    <message>
        <source>Activity number</source>
        <translation>活动编号</translation>
    </message>
    <message>
        <source>Activity title</source>
        <translation>活动名称</translation>
    </message>
    <message>
        <source>Organising body (issuer on certificates, else the station)</source>
        <translation>组织单位（证书落款单位或本站）</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>服务评价</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>记录人</translation>
    </message>
    <message>
        <source>Confirmed by</source>
        <translation>审核人</translation>
    </message>
    <message>
        <source>Date confirmed</source>
        <translation>审核日期</translation>
    </message>
    <message>
        <source>Column header</source>
        <translation>表头</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Add a column</source>
        <translation>添加列</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Sheet name</source>
        <translation>表名</translation>
    </message>
    <message>
        <source>The banner uploads the station&apos;s volunteers and their confirmed hours to the national volunteer service system (全国志愿服务信息系统) as an Excel file. Here you set how that file looks: the name of each sheet and its columns, in order. Ask the banner which layout they need.</source>
        <translation>本站的志愿者和已确认的服务时长由旗县用 Excel 表格上传到全国志愿服务信息系统。这里设置这个表格的样式：每个表的表名，以及各列的表头和顺序。需要什么样式，请向旗县询问。</translation>
    </message>
    <message>
        <source>Sheet 1: volunteers</source>
        <translation>表一：志愿者信息</translation>
    </message>
    <message>
        <source>Sheet 2: confirmed service hours</source>
        <translation>表二：已确认的服务时长</translation>
    </message>
    <message>
        <source>Restore the default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Export to the volunteer-system spreadsheet…</source>
        <translation>导出到志愿服务系统表格…</translation>
    </message>
    <message>
        <source>The stored layout cannot be used ({reason}). The default layout is shown; save it or correct it.</source>
        <translation>已保存的表格样式无法使用（{reason}）。下面显示的是默认样式，请保存或修改。</translation>
    </message>
    <message>
        <source>The default layout is shown. Press Save to use it.</source>
        <translation>已显示默认样式，点“保存”后生效。</translation>
    </message>
    <message>
        <source>Add at least one column.</source>
        <translation>请至少添加一列。</translation>
    </message>
    <message>
        <source>Write the sheet&apos;s name.</source>
        <translation>请填写表名。</translation>
    </message>
    <message>
        <source>The layout of the volunteer-system file is saved.</source>
        <translation>志愿服务系统表格样式已保存。</translation>
    </message>
    <message>
        <source>Export to the volunteer-system spreadsheet</source>
        <translation>导出到志愿服务系统表格</translation>
    </message>
    <message>
        <source>The layout has changes that are not saved. Save them and export with the new layout?</source>
        <translation>表格样式有尚未保存的修改。先保存，再按新样式导出吗？</translation>
    </message>
    <message>
        <source>Save and export</source>
        <translation>保存并导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>VolunteersList</name>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Search: name, pinyin initials, volunteer number, last digits of the ID number or phone</source>
        <translation>搜索：姓名、拼音首字母、志愿者编号、身份证号码或电话号码后几位</translation>
    </message>
    <message>
        <source>volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Volunteer number</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>Skills</source>
        <translation>专业技能</translation>
    </message>
    <message>
        <source>Registered on</source>
        <translation>登记日期</translation>
    </message>
    <message>
        <source>Confirmed hours</source>
        <translation>已确认时长（小时）</translation>
    </message>
</context>
<context>
    <name>VolunteersPage</name>
    <message>
        <source>Confirmed {count} lines, {hours} hours in all.</source>
        <translation>已确认 {count} 条记录，共 {hours} 小时。</translation>
    </message>
    <message>
        <source>Volunteers</source>
        <translation>志愿者</translation>
    </message>
    <message>
        <source>Hours awaiting confirmation</source>
        <translation>待确认时长</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>队伍</translation>
    </message>
    <message>
        <source>Choose a volunteer first.</source>
        <translation>请先选择一名志愿者。</translation>
    </message>
    <message>
        <source>Registered: {name} ({number}).</source>
        <translation>已登记：{name}（{number}）。</translation>
    </message>
    <message>
        <source>Hours awaiting confirmation ({count})</source>
        <translation>待确认时长（{count}）</translation>
    </message>
</context>
<context>
    <name>_Cover</name>
    <message>
        <source>Locked</source>
        <extracomment>The colour of every error sentence. Input that counts as activity (and that is swallowed while locked). The lock card&apos;s width, its narrowest width (small windows), and its side margins.</extracomment>
        <translation>已锁定</translation>
    </message>
</context>
<context>
    <name>_WorkerDialog</name>
    <message>
        <source>Checking…</source>
        <extracomment>Where the last user name typed is remembered (never the password).</extracomment>
        <translation>正在核对…</translation>
    </message>
    <message>
        <source>The two new passwords differ. Type the same password twice.</source>
        <translation>两次输入的新密码不一致，请输入相同的密码。</translation>
    </message>
</context>
</TS>
