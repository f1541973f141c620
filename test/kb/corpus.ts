/** Small, realistic article sets for the search and suggestion tests: ids name what each is about. */
export interface CorpusArticle {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly tags: readonly string[];
  readonly problemType?: string;
}

export const ZH_CORPUS: readonly CorpusArticle[] = [
  {
    id: "refund",
    title: "退款申请流程",
    body: "客户在订单详情页点击「申请退款」，选择退款原因并提交。\n审核通过后，款项在 1-3 个工作日内原路退回。",
    tags: ["退款", "售后"],
    problemType: "after_sales",
  },
  {
    id: "logistics",
    title: "包裹迟迟未送达的处理",
    body: "客户反映快递没到，或物流显示已签收但本人没收到时：\n1. 在物流系统查询运单轨迹；\n2. 物流信息三天未更新的，联系承运商催件；\n3. 确认丢件后安排补发。",
    tags: ["物流", "快递"],
    problemType: "logistics",
  },
  {
    id: "return-fee",
    title: "退货运费由谁承担",
    body: "质量问题退货的运费由我们承担，退款时一并退回；非质量问题的退货运费由客户承担。",
    tags: ["退货", "运费"],
    problemType: "after_sales",
  },
  {
    id: "exchange",
    title: "商品破损如何换货",
    body: "签收时发现外包装或商品破损，请客户拍照留证，在订单页申请换货；我们安排快递上门取件。",
    tags: ["换货", "破损"],
    problemType: "quality_complaint",
  },
  {
    id: "invoice",
    title: "发票抬头开错了如何重开",
    body: "在「我的发票」中申请作废原发票，填写正确抬头和税号后重新开具，电子发票即时发送到邮箱。",
    tags: ["发票"],
    problemType: "billing",
  },
  {
    id: "password",
    title: "忘记登录密码",
    body: "在登录页点击「忘记密码」，用注册手机号接收验证码后设置新密码。",
    tags: ["账号", "密码"],
    problemType: "product_inquiry",
  },
  {
    id: "warranty",
    title: "耳机保修政策",
    body: "自签收之日起一年内非人为损坏免费保修；进水、摔坏等人为损坏按维修价目收费。",
    tags: ["保修", "维修", "耳机"],
    problemType: "after_sales",
  },
  {
    id: "points",
    title: "会员积分兑换说明",
    body: "会员积分可在积分商城兑换优惠券，积分有效期为十二个月。",
    tags: ["会员", "积分"],
    problemType: "product_inquiry",
  },
];

export const EN_CORPUS: readonly CorpusArticle[] = [
  {
    id: "en-refund",
    title: "How to request a refund",
    body: "Open the order, choose **Request refund** and give a reason. Refunds go back to the original payment method within 3 business days.",
    tags: ["refund"],
  },
  {
    id: "en-delivery",
    title: "Package not delivered",
    body: "If tracking shows no movement for three days, contact the carrier. If the parcel is lost we ship a replacement.",
    tags: ["shipping", "logistics"],
  },
  {
    id: "en-password",
    title: "Reset your password",
    body: "Use Forgot password on the sign-in page; a code is sent to the registered phone.",
    tags: ["account"],
  },
  {
    id: "en-invoice",
    title: "Correct an invoice title",
    body: "Cancel the invoice under My invoices and issue a new one with the right company name and tax number.",
    tags: ["billing"],
  },
  {
    id: "en-warranty",
    title: "Headphone warranty",
    body: "Repairs are free for one year after delivery unless the damage was accidental (water, drops).",
    tags: ["warranty", "repair"],
  },
];
