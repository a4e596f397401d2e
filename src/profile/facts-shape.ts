/**
 * The declared shape of what report templates receive (TemplateFacts), so a
 * profile's templates can be checked when the profile is loaded: every path a
 * template reads must exist here, `money`/`pct` take amounts, `#each` takes a
 * list, and so on.
 *
 * The descriptor is checked against the TypeScript type by the compiler:
 * `ShapeOf<TemplateFacts>` maps every field of the type to its kind, so a field
 * added to or removed from the facts without updating this file does not
 * compile. The check is therefore sound for field names and kinds; whether an
 * optional value is present in a given build is known only at render time (a
 * helper given an absent value is then a located message, not an internal error).
 */
import Decimal from 'decimal.js';
import type { Share, TemplateFacts } from '../derive/facts';
import type { Figure, ThreePublicTable } from '../derive/tables';
import type { BudgetVerdict, YoyVerdict } from '../derive/verdicts';
import type { Exec } from '../derive/attachment';
import type { Expense, PerformanceCounts } from '../validate/model';
import type { ExplainedItem, SupplementaryFacts, ThreePublicPair } from '../derive/supplementary';
import type { TitledSection } from '../validate/attachment';

export type Kind = 'amount' | 'text' | 'number' | 'flag' | 'pair';
export type Shape = Kind | { list: Shape } | { [field: string]: Shape };

type Base<T> = NonNullable<T>;
export type ShapeOf<T> = [Base<T>] extends [Decimal]
  ? 'amount'
  : [Base<T>] extends [string]
    ? 'text'
    : [Base<T>] extends [number]
      ? 'number'
      : [Base<T>] extends [boolean]
        ? 'flag'
        : Base<T> extends readonly [unknown, unknown]
          ? 'pair'
          : Base<T> extends ReadonlyArray<infer U>
            ? { list: ShapeOf<U> }
            : { [K in keyof Base<T>]-?: ShapeOf<Base<T>[K]> };

const A = 'amount' as const;
const T = 'text' as const;
const N = 'number' as const;
const F = 'flag' as const;

const FIGURE: ShapeOf<Figure> = { value: A, sum: A, printed: A, path: T };
const SHARE: ShapeOf<Share> = { label: T, amount: A, share: A };
const YOY: ShapeOf<YoyVerdict> = {
  current: A, prior: A, change: A, pct: A, kind: T, amountWord: T, rateWord: T, flat: F, reason: T, missingReason: F, staleReason: T, staleKey: T,
  isIncrease: F, isDecrease: F, isSame: F, priorZero: F,
};
const VERDICT: ShapeOf<BudgetVerdict> = {
  budget: A, actual: A, rate: A, kind: T, word: T, reason: T, missingReason: F, staleReason: T, staleKey: T,
  isOver: F, isUnder: F, isFlat: F, isEqual: F, noBudget: F, bothZero: F, actualZero: F,
};
const EXEC: ShapeOf<Exec> = { label: T, budget: A, actual: A, balance: A, rate: A, share: A };
const TP_SIDE: ShapeOf<ThreePublicTable['budget']> = {
  abroad: FIGURE, car_purchase: FIGURE, car_operation: FIGURE, reception: FIGURE, total: FIGURE, cars: FIGURE,
};
const SECTION: ShapeOf<TitledSection> = { title: T, paragraphs: { list: T }, items: { list: { title: T, text: T } } };
const EXPENSE: ShapeOf<Expense> = { amount: A, purpose: T, people: N, content: T };

const PERFORMANCE_COUNTS: ShapeOf<PerformanceCounts> = {
  systems: { list: T }, mechanism: T, goals: { projects: N, amount: A }, monitoring: { projects: N, amount: A },
  selfEvaluation: {
    amount: A, averageScore: A, ratings: { excellent: N, good: N, pass: N, fail: N }, problems: { fixed: N, fixing: N },
  },
};
const EXPLAINED: ShapeOf<ExplainedItem> = { code: T, fullName: T, purpose: T, verdict: VERDICT, path: T };
const FUND: ShapeOf<SupplementaryFacts['govFund']> = {
  empty: F, opening: A, income: A, expense: A, basic: A, project: A, closing: A, items: { list: EXPLAINED },
};
const PAIR: ShapeOf<ThreePublicPair> = { label: T, budget: A, actual: A, verdict: VERDICT, yoy: YOY, share: A };
const MORE: ShapeOf<SupplementaryFacts> = {
  priorYear: N,
  units: { multiple: F, list: { list: { no: N, name: T } } },
  generalItems: { list: EXPLAINED },
  generalVerdict: VERDICT,
  generalByClass: { list: SHARE },
  incomeParts: { list: SHARE },
  expenseParts: { list: SHARE },
  govFund: FUND,
  stateCapital: FUND,
  threePublic: {
    none: F, total: PAIR, abroad: PAIR, cars: PAIR, carPurchase: PAIR, carOperation: PAIR, reception: PAIR,
    trips: { groups: N, people: N },
    receptions: { groups: N, guests: N, description: T, foreign: { amount: A, groups: N, guests: N } },
    carsPurchased: N, fleetSize: N, abroadDescription: T, carPurchaseDescription: T, carOperationDescription: T,
  },
  adminOperating: { amount: A, none: F, yoy: YOY },
  procurement: {
    total: FIGURE, goods: A, works: A, services: A,
    reserved: { sme: A, smallMicro: A }, awarded: { smeReserved: A, smallMicroReserved: A, otherSme: A },
  },
  performance: {
    systems: { list: T }, mechanism: T, goals: { projects: N, amount: A }, monitoring: { projects: N, amount: A },
    selfEvaluation: {
      projects: N, amount: A, averageScore: T, ratings: { excellent: N, good: N, pass: N, fail: N },
      problemsFound: N, problemsFixed: N, problemsFixing: N,
    },
  },
  assets: { vehicles: { list: { label: T, count: N } }, vehicleTotal: N, equipment: N },
  incomeKinds: { business: F, operating: F, other: F },
  incomeExamples: { business: T, operating: T, other: T },
};

export const TEMPLATE_FACTS_SHAPE: ShapeOf<TemplateFacts> = {
  year: N,
  department: T,
  selfName: T,
  overview: { duties: { list: T }, bodyCount: N, bodies: { list: T }, units: { list: T } },
  totalYoy: YOY,
  income: { total: A, parts: { list: SHARE } },
  spending: { total: A, parts: { list: SHARE } },
  fiscalYoy: YOY,
  generalBudget: {
    total: A, shareOfAllSpending: A, yoy: YOY, byClass: { list: SHARE }, budgetTotal: A, overallRate: A,
    items: { list: { code: T, fullName: T, verdict: VERDICT, path: T } },
  },
  basicSpending: { basic: A, personnel: SHARE, public: SHARE, personnelItems: { list: T }, publicItems: { list: T } },
  threePublic: {
    budget: A, actual: A, verdict: VERDICT, yoy: YOY,
    items: {
      abroad: { label: T, verdict: VERDICT, yoy: YOY }, car_purchase: { label: T, verdict: VERDICT, yoy: YOY },
      car_operation: { label: T, verdict: VERDICT, yoy: YOY }, reception: { label: T, verdict: VERDICT, yoy: YOY },
    },
    shares: { reception: SHARE, abroad: SHARE, cars: SHARE },
    priorTotal: FIGURE,
    activity: {
      trips: { groups: N, people: N }, receptions: { groups: N, guests: N, description: T, foreign: { amount: A, groups: N, guests: N } },
      carsPurchased: N, carOperationDescription: T, fleetSize: N,
    },
    carsActual: A, carPurchaseActual: A, carOperationActual: A, receptionActual: A, abroadActual: A,
  },
  govFund: { empty: F, note: T, opening: A, income: A, expense: A, closing: A },
  adminOperating: { actual: A, budget: A, yoy: YOY },
  generalExpenses: { meetings: EXPENSE, training: EXPENSE, events: T },
  procurement: {
    total: FIGURE, goods: A, works: A, services: A, sme: A, smeShare: A, smallMicro: A, smallMicroShare: A,
    goodsSmeShare: A, worksSmeShare: A, servicesSmeShare: A, hasWorks: F, hasGoods: F, hasServices: F,
  },
  assets: { vehicles: { list: { label: T, count: N } }, vehicleTotal: N, otherVehicles: N, equipment: N },
  performance: {
    management: T, basis: T, results: T, problems: T, generalSpending: A, basic: A, project: A, ...PERFORMANCE_COUNTS,
  },
  more: MORE,
  glossary: { list: { term: T, text: T } },
  att: {
    a: {
      title: T, basis: T, period: { from: T, to: T }, scope: T, unitProfile: T,
      staff: { authorized: N, inService: N, retiredCadres: N, retirees: N, changes: T },
      socialInsuranceFund: F,
      budget: {
        initialBasic: A, initialProject: A, basicCarryover: A,
        adjusted: { personnel: A, public: A, business: A, operating: A, development: A },
        printedAdjustedProject: A, adjustmentItems: T, basicAdjustmentNote: T, approver: T,
      },
      actual: { business: A, operating: A, development: A, economic: { list: 'pair' } },
      goals: T, publicSavingReason: T,
      projects: {
        business: { count: N, narrative: T, deviation: { list: T } },
        operating: { count: N, narrative: T, deviation: { list: T } },
        development: { count: N, narrative: T, deviation: { list: T } },
      },
      threePublic: { intro: T, increaseReason: T, decreaseReason: T, abroadNote: T },
      performance: {
        intro: T, score: A, publicPriorYear: A, threePublicNote: T,
        management: { list: SECTION }, effectiveness: { list: SECTION },
      },
      problems: { list: SECTION }, improvements: { list: SECTION }, resultsUse: T,
      printed: {
        adjustment: A, basic_adjustment: A, project_adjustment: A, personnel_balance: A, public_balance: A,
        basic_balance: A, three_public_actual: A, three_public_balance: A,
      },
    },
    periodFrom: { year: N, month: N }, periodTo: { year: N, month: N },
    staffWithinQuota: F, staffControlRate: A, onlyGeneralBudget: F, hasGovFund: F, hasStateCapital: F,
    govFundSpending: A, stateCapitalSpending: A,
    budget: {
      initialTotal: FIGURE, initialBasic: A, initialProject: A, approved: A, carryover: A, basicCarryover: A, projectCarryover: A,
      adjustedBasic: FIGURE, adjustedProject: FIGURE, adjustedTotal: FIGURE, adjustment: A, basicAdjustment: A, projectAdjustment: A,
    },
    actual: {
      total: A, basic: A, project: A, personnel: A, public: A, projectSum: FIGURE, basicShare: A, projectShare: A,
      economic: { list: { label: T, amount: A } }, economicTotal: FIGURE,
    },
    basicExec: { personnel: EXEC, public: EXEC, total: EXEC },
    projectExec: { total: EXEC, business: EXEC, operating: EXEC, development: EXEC },
    projectCategories: { list: EXEC },
    projectDetails: { list: { exec: EXEC, count: N, narrative: T, deviation: { list: T } } },
    withinBudget: F, hasBasicCarryover: F,
    threePublic: {
      budget: TP_SIDE, actual: TP_SIDE, yoy: YOY, reason: T,
      balance: { total: A, abroad: A, cars: A, carPurchase: A, carOperation: A, reception: A },
      noCarPurchaseBudget: F, noCarPurchaseActual: F,
    },
    publicYoy: YOY,
    score: A,
  },
};
