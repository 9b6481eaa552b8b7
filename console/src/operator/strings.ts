import type { Bilingual } from '../../../domain/labels.ts';

/** The operator pages' words (embedded runtime only: kept out of strings.ts so the AWS build has none). */
const s = (zh: string, en: string): Bilingual => ({ zh, en });

export const OS = {
  operator: s('运维', 'Operator'),
  operatorTitle: s('本机运行控制', 'Local runtime controls'),
  devSignIn: s('以开发身份登录', 'Sign in as a dev identity'),
  devRole: s('身份', 'Role'),
  devEnterprises: s('企业海关编码（可多个，用逗号分隔）', 'Enterprise customs codes (comma-separated)'),
  clock: s('模拟时钟', 'Simulated clock'),
  now: s('当前时间', 'Now'),
  today: s('今天', 'Today'),
  plusDays: s('前进 {n} 天', '+{n} days'),
  plusDay: s('前进 1 天', '+1 day'),
  moveTo: s('移动到日期', 'Move to date'),
  move: s('移动', 'Move'),
  clockMoved: s('时钟已移动。', 'Clock moved.'),
  sweep: s('每日巡检', 'Daily sweep'),
  runSweep: s('立即运行巡检', 'Run the sweep now'),
  sweepCounts: s('巡检结果', 'Sweep counts'),
  inbox: s('开发收件箱', 'Dev inbox'),
  apiDocs: s('API 文档', 'API docs'),
  recipient: s('收件人', 'Recipient'),
  allRecipients: s('全部收件人', 'All recipients'),
  search: s('搜索', 'Search'),
  subject: s('主题', 'Subject'),
  sentAt: s('发送时间（模拟）', 'Sent (simulated)'),
  messages: s('封邮件', 'messages'),
  noMessages: s('没有邮件。', 'No messages.'),
  text: s('纯文本', 'Text'),
  htmlPart: s('HTML', 'HTML'),
  links: s('链接', 'Links'),
  liveRefresh: s('每 2 秒自动刷新', 'Refreshes every 2 seconds'),
  messageFrameTitle: s('邮件 HTML 内容', 'Message HTML part'),
  backToInbox: s('返回收件箱', 'Back to the inbox'),
} as const;
