import { BadRequestException, Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { DownPeriod } from './down-period';
import { FaultRule, FaultRuleError, parseFaultRuleInput } from './fault-rule';
import { FaultsService } from './faults.service';

@Controller('_sim/faults')
export class FaultsController {
  constructor(private readonly faults: FaultsService) {}

  @Post()
  add(@Body() body: unknown): FaultRule {
    try {
      return this.faults.add(parseFaultRuleInput(body));
    } catch (error) {
      if (error instanceof FaultRuleError) throw new BadRequestException(error.message);
      throw error;
    }
  }

  /** The rules, then the down period if there is one. */
  @Get()
  list(): Array<FaultRule | DownPeriod> {
    return this.faults.list();
  }

  @Delete()
  @HttpCode(204)
  clear(): void {
    this.faults.clear();
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string): void {
    if (!this.faults.remove(id)) throw new NotFoundException(`No fault rule ${id}`);
  }
}
