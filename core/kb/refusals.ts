import { DomainError } from "../errors.ts";

export const articleNotFound = (id: string): DomainError =>
  new DomainError(
    "not_found",
    { "zh-CN": `找不到知识库文章 ${id}`, en: `No knowledge-base article ${id}` },
    { id },
  );

export const mayNotEdit = (actor: string): DomainError =>
  new DomainError(
    "forbidden",
    {
      "zh-CN": "只有知识库编辑、部门负责人和管理员可以编辑知识库文章",
      en: "Only knowledge editors, department heads and admins may edit knowledge-base articles",
    },
    { actor },
  );

export const mayNotUse = (actor: string, ticket: string): DomainError =>
  new DomainError(
    "forbidden",
    {
      "zh-CN": `你没有权限为工单 ${ticket} 发送知识库答案或记录效果`,
      en: `You may not send knowledge-base answers for ticket ${ticket} or record whether they helped`,
    },
    { actor, ticket },
  );

export const noChat = (ticket: string): DomainError =>
  new DomainError(
    "validation",
    {
      "zh-CN": `工单 ${ticket} 不在任何聊天中（在看板或 API 创建，卡片从未发到群里），无法发送答案；请在看板上复制文章内容`,
      en: `Ticket ${ticket} is in no chat (created on the board or through the API, its card never posted), so there is nowhere to send the answer; copy the article from the board`,
    },
    { ticket, issues: [{ field: "ticket", message: "the ticket has no chat" }] },
  );

export const articleChanged = (id: string, rev: number): DomainError =>
  new DomainError(
    "conflict",
    {
      "zh-CN": `文章 ${id} 已被他人修改（当前版本 ${rev}），请刷新后再改`,
      en: `Article ${id} was changed meanwhile (now at revision ${rev}); reload it and edit again`,
    },
    { id, rev },
  );

export const missingArticle = (field: string): DomainError =>
  new DomainError(
    "validation",
    { "zh-CN": `${field}：需要文章编号`, en: `${field}: an article id is required` },
    { issues: [{ field, message: "expected an article id" }] },
  );
