import type { DirectoryData } from "../../core/directory/schema.ts";

/** The demo organisation sandbox mode runs with when no directory is configured. */
export const DEMO_DIRECTORY: DirectoryData = {
  departments: [
    {
      id: "support",
      name: "客服中心 Customer Service",
      head: "head-support",
      members: ["agent-li", "agent-zhou"],
    },
    { id: "tech", name: "技术支持组 Technical Support", head: "head-tech", parent: "support", members: [] },
    { id: "returns", name: "退换货组 Returns", head: "head-returns", parent: "support", members: [] },
    {
      id: "complaints",
      name: "投诉处理组 Complaints",
      head: "head-complaints",
      parent: "support",
      members: [],
    },
    { id: "logistics", name: "物流组 Logistics", head: "head-logistics", parent: "support", members: [] },
    { id: "billing", name: "财务结算组 Billing", head: "head-billing", parent: "support", members: [] },
  ],
  people: [
    { id: "admin", name: "陈静", roles: ["admin"], departments: [] },
    { id: "head-support", name: "王芳", roles: ["head", "agent"], departments: ["support"] },
    { id: "agent-li", name: "李娜", roles: ["agent"], departments: ["support"] },
    { id: "agent-zhou", name: "周敏", roles: ["agent"], departments: ["support"] },
    { id: "agent-amy", name: "Amy Chen", locale: "en", roles: ["agent"], departments: ["support"] },
    { id: "head-tech", name: "张伟", roles: ["head", "engineer"], departments: ["tech"] },
    { id: "eng-liu", name: "刘洋", roles: ["engineer"], departments: ["tech"] },
    { id: "eng-sun", name: "孙磊", roles: ["engineer"], departments: ["tech"] },
    { id: "eng-emma", name: "Emma Wilson", locale: "en", roles: ["engineer"], departments: ["tech"] },
    { id: "head-returns", name: "赵强", roles: ["head", "engineer"], departments: ["returns"] },
    { id: "eng-wu", name: "吴婷", roles: ["engineer"], departments: ["returns"] },
    { id: "head-complaints", name: "黄丽", roles: ["head", "engineer"], departments: ["complaints"] },
    { id: "eng-xu", name: "徐明", roles: ["engineer"], departments: ["complaints"] },
    { id: "head-logistics", name: "郑涛", roles: ["head", "engineer"], departments: ["logistics"] },
    { id: "eng-ma", name: "马超", roles: ["engineer"], departments: ["logistics"] },
    { id: "head-billing", name: "林晓", roles: ["head", "engineer"], departments: ["billing"] },
    { id: "eng-he", name: "何静", roles: ["engineer"], departments: ["billing"] },
  ],
};

export const DEMO_ADMIN = "admin";
