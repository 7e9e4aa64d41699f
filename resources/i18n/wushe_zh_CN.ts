<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>Activities</source>
        <translation>活动场次</translation>
    </message>
    <message>
        <source>Case service records</source>
        <translation>个案服务次数</translation>
    </message>
    <message>
        <source>Beneficiary person-times</source>
        <translation>受益人次</translation>
    </message>
    <message>
        <source>People benefiting</source>
        <translation>受益人数</translation>
    </message>
    <message>
        <source>Cases opened</source>
        <translation>新开个案</translation>
    </message>
    <message>
        <source>Open cases (at period end)</source>
        <translation>在案个案</translation>
    </message>
    <message>
        <source>Cases closed</source>
        <translation>结案个案</translation>
    </message>
    <message>
        <source>Referrals out</source>
        <translation>转介</translation>
    </message>
    <message>
        <source>Registered volunteers</source>
        <translation>注册志愿者</translation>
    </message>
    <message>
        <source>Confirmed volunteer hours</source>
        <translation>已确认志愿服务时长（小时）</translation>
    </message>
    <message>
        <source>Funds raised (yuan)</source>
        <translation>募集资金（元）</translation>
    </message>
    <message>
        <source>Goods donated, value (yuan)</source>
        <translation>捐赠物资价值（元）</translation>
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
        <translation>负责社工</translation>
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
</context>
<context>
    <name>Lists</name>
    <message>
        <source>, </source>
        <translation>、</translation>
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
        <source>This screen is being built.</source>
        <translation>本页面正在建设中。</translation>
    </message>
    <message>
        <source>The charity resources ledger will be here: money and goods received, with donors (anonymous ones too) and receipt details, and what was given to people and to activities.</source>
        <translation>这里将是慈善资源台账：登记收到的资金和物资，包括捐赠人（含匿名捐赠）和票据信息，以及发放给服务对象和活动的去向。</translation>
    </message>
    <message>
        <source>Statistics and reports will be here: the station&apos;s figures for any period, the monthly report with the five-society indicators, and printing them.</source>
        <translation>这里将是统计报表：按任意时间段查看本站各项数据，生成含“五社联动”指标的月报，并打印。</translation>
    </message>
    <message>
        <source>Data sync will be here: export an encrypted bundle for the banner centre onto a USB stick, import the centre&apos;s receipt, and see what the centre has acknowledged.</source>
        <translation>这里将是数据同步：把加密数据包导出到U盘报送旗县中心，导入中心的回执，并查看中心已确认收到的内容。</translation>
    </message>
    <message>
        <source>Settings will be here: station details, the villages and communities served, staff, the editable lists (categories, service areas, activity types) and the volunteer star thresholds.</source>
        <translation>这里将是设置：社工站信息、服务的村（嘎查）和社区、工作人员、可修改的分类（服务对象类别、服务领域、活动类型）以及志愿者星级标准。</translation>
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
        <source>A record&apos;s own screen is not available yet; the list shows what is recorded.</source>
        <translation>记录详情页面正在建设中，目前请在列表中查看已登记的内容。</translation>
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
        <translation>出生日期与身份证号码中的不一致，已按身份证号码中的日期填写。</translation>
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
</context>
<context>
    <name>PersonForm</name>
    <message>
        <source>Register a person served</source>
        <translation>登记服务对象</translation>
    </message>
    <message>
        <source>Not given</source>
        <translation>未填</translation>
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
        <source>Unsaved changes</source>
        <translation>尚未保存</translation>
    </message>
    <message>
        <source>What you typed in this form is not saved yet. Close it and lose it?</source>
        <translation>表单中填写的内容还没有保存。确定要关闭并放弃这些内容吗？</translation>
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
    <name>SetupWizard</name>
    <message>
        <source>Set up the station</source>
        <translation>设置社工站</translation>
    </message>
    <message>
        <source>Creating the station&apos;s database and keys…</source>
        <translation>正在创建社工站数据库和密钥…</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Preparing the demo database…</source>
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
</context>
<context>
    <name>Tile</name>
    <message>
        <source>This year: {value}</source>
        <translation>本年：{value}</translation>
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
</TS>
